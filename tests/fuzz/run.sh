#!/usr/bin/env bash
# run.sh: runs the libFuzzer harnesses built by mk/fuzz.mk.
#
#   run.sh replay HARNESS...   run every committed input once: the seeds
#                              (tests/fuzz/seeds/H/) and the regressions
#                              (tests/fuzz/regressions/H/, except open/,
#                              which holds inputs of bugs not fixed yet)
#   run.sh fuzz HARNESS...     fuzz each harness for FUZZ_SECONDS, starting
#                              from a work corpus under $FUZZ_O/corpus/H
#                              plus the seeds and the regressions; all at
#                              once unless FUZZ_PARALLEL=0
#
# Environment: FUZZ_O (where the harnesses are, default build/fuzz),
# FUZZ_SECONDS (default 60), FUZZ_PARALLEL (default 1). A harness H is the binary $FUZZ_O/fuzz_H; its
# dictionary, if any, is tests/fuzz/H.dict. Fuzzing logs go to
# $FUZZ_O/logs/H.log; the summary (executions per second, coverage) is
# printed. A crash stops with the input's path and how to keep it.
set -u
cd "$(dirname "$0")/../.."
FUZZ_O=${FUZZ_O:-build/fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_PARALLEL=${FUZZ_PARALLEL:-1}
mode=${1:?usage: run.sh replay|fuzz HARNESS...}
shift
status=0

# Committed inputs of harness $1, one per line (no hidden files, no docs).
inputs() {
  find "tests/fuzz/seeds/$1" "tests/fuzz/regressions/$1" -type f \
    ! -name '.*' ! -name '*.md' ! -path '*/open/*' 2>/dev/null | sort
}

replay() {
  local h=$1 bin=$FUZZ_O/fuzz_$1 files n open
  mapfile -t files < <(inputs "$h")
  n=${#files[@]}
  open=$(find "tests/fuzz/regressions/$h/open" -type f ! -name '.*' 2>/dev/null | wc -l)
  if [ "$n" -eq 0 ]; then
    echo "fuzz-regressions: $h: no committed input" >&2
    return 1
  fi
  if "$bin" -runs=1 "${files[@]}" >"$FUZZ_O/logs/$h.replay.log" 2>&1; then
    echo "fuzz-regressions: $h: $n inputs replayed, all pass" \
      "($open open input(s) not replayed)"
  else
    echo "fuzz-regressions: $h: FAILED; the end of the log:" >&2
    tail -40 "$FUZZ_O/logs/$h.replay.log" >&2
    return 1
  fi
}

fuzz() {
  local h=$1 bin=$FUZZ_O/fuzz_$1 log=$FUZZ_O/logs/$1.log dict=()
  local corpus=$FUZZ_O/corpus/$h artifacts=$FUZZ_O/artifacts/$h/
  mkdir -p "$corpus" "$artifacts"
  [ -f "tests/fuzz/$h.dict" ] && dict=("-dict=tests/fuzz/$h.dict")
  local extra=()
  [ -d "tests/fuzz/regressions/$h" ] && extra+=("tests/fuzz/regressions/$h")
  echo "fuzz: $h for ${FUZZ_SECONDS}s (log: $log)"
  # New inputs go to the first directory, the work corpus; the committed
  # ones are only read.
  if "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts" "${dict[@]}" \
    "$corpus" "tests/fuzz/seeds/$h" "${extra[@]}" >"$log" 2>&1; then
    local last runs rate cov ft
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    echo "fuzz: $h: ${runs:-?} runs, ${rate:-?} exec/s, coverage ${cov:-?}" \
      "edges, ${ft:-?} features, corpus $(find "$corpus" -type f | wc -l) files"
  else
    echo "fuzz: $h: FAILED; the end of the log:" >&2
    tail -60 "$log" >&2
    echo "fuzz: $h: the input is in $artifacts; fix the bug (or report it)" \
      "and keep the input under tests/fuzz/regressions/$h/" >&2
    return 1
  fi
}

mkdir -p "$FUZZ_O/logs"
case $mode in
replay)
  for h in "$@"; do replay "$h" || status=1; done
  ;;
fuzz)
  if [ "$FUZZ_PARALLEL" = 1 ]; then
    # All harnesses at once: FUZZ_SECONDS of wall time in all. Each one's
    # messages are shown when it is done, in order.
    pids=()
    for h in "$@"; do
      fuzz "$h" >"$FUZZ_O/logs/$h.summary" 2>&1 &
      pids+=($!)
    done
    i=0
    for h in "$@"; do
      wait "${pids[$i]}" || status=1
      cat "$FUZZ_O/logs/$h.summary"
      i=$((i + 1))
    done
  else
    for h in "$@"; do fuzz "$h" || status=1; done
  fi
  ;;
*)
  echo "run.sh: unknown mode $mode" >&2
  exit 2
  ;;
esac
exit $status
