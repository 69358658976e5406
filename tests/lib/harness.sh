# harness.sh: what the shell test harnesses (tests/e2e/run.sh,
# tests/e2e/solo5.sh, tests/soak/run.sh) share: verdict lines and counts, the
# selection of tests named on the command line, the summary line.
#
# Source it after setting WORK (the scratch directory, whose files out and
# err a failure shows) and, if wanted, PREFIX (put before every test name),
# then set SELECTED=("$@").

passed=0 failed=0 skipped=0

# ok NAME [NOTE], skip NAME REASON, fail NAME REASON
ok() { echo "ok   ${PREFIX:-}$1${2:+ ($2)}"; passed=$((passed + 1)); }
skip() { echo "skip ${PREFIX:-}$1: $2"; skipped=$((skipped + 1)); }
fail() {
  echo "FAIL ${PREFIX:-}$1: $2"
  [ -f "$WORK/out" ] && sed 's/^/     stdout: /' "$WORK/out"
  [ -f "$WORK/err" ] && sed 's/^/     stderr: /' "$WORK/err"
  failed=$((failed + 1))
}

# selected NAME: whether test NAME runs: every test when none is named,
# else NAME itself, or a group: "spt" selects "spt/hello".
selected() {
  [ ${#SELECTED[@]} -eq 0 ] && return 0
  local s
  for s in "${SELECTED[@]}"; do
    [ "$s" = "$1" ] || [ "$s" = "${1%%/*}" ] && return 0
  done
  return 1
}

# summary TITLE: prints the counts; fails if a test failed.
summary() {
  echo "$1: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
}
