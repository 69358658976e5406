#!/usr/bin/env bash
# instr.sh: instructions per operation of the scheduler micro-benchmarks,
# counted by valgrind's callgrind (wall time is noisy on shared machines;
# instruction counts are not). Each program is run as `PROG count OP N`: it
# warms up, then runs N operations with collection switched on only around
# the timed region (CALLGRIND_TOGGLE_COLLECT with --collect-atstart=no, see
# bench_begin/bench_end), so start-up, set-up and printing are not counted;
# the count divided by N is the row. Counts are deterministic, so each row
# is one run (median = min = max). Instructions executed in the kernel
# (swapcontext's sigprocmask) are not counted by valgrind.
#
# Environment: O (build directory), BENCH_QUICK.
set -u
cd "$(dirname "$0")/.."
O=${O:-build/bench}
B=$O/bench

if ! command -v valgrind >/dev/null 2>&1; then
  echo "note: instr: skipped: valgrind is not installed"
  exit 0
fi
if [ "${BENCH_QUICK:-0}" != 0 ]; then N=2000; else N=20000; fi

# count PROG OP: instructions per operation, or empty on failure.
count() {
  local out
  out=$(valgrind --tool=callgrind --collect-atstart=no \
    --callgrind-out-file=/dev/null "$1" count "$2" "$N" 2>&1) || return 1
  awk -v n="$N" '/Collected :/ { printf "%.1f", $NF / n; found = 1 }
    END { exit !found }' <<<"$out"
}

# row LABEL VALUE BASE TARGET(or -)
row() {
  local ratio goal="-"
  ratio=$(awk -v v="$2" -v b="$3" 'BEGIN { printf "%.2fx", v / b }')
  if [ "$4" != - ]; then
    if awk -v v="$2" -v t="$4" 'BEGIN { exit !(v <= t) }'; then
      goal="<= $4 instr: met"
    else
      goal="<= $4 instr: MISSED"
    fi
  fi
  echo "| instr: $1 | $2 | $2 | $2 | instr | $ratio | minimal switch | $goal |"
}

echo
echo "## Instructions per operation (callgrind, N=$N)"
echo
echo "| benchmark | median | min | max | unit | ratio | baseline | target |"
echo "|---|---:|---:|---:|---|---:|---|---|"
base=$(count "$B/switch" min) || {
  echo "note: instr: callgrind failed on $B/switch"
  exit 0
}
row "minimal switch round trip" "$base" "$base" -
while IFS='|' read -r prog op label target; do
  [ -x "$B/$prog" ] || continue
  if v=$(count "$B/$prog" "$op"); then
    row "$label" "$v" "$base" "$target"
  else
    echo "note: instr: callgrind failed on $prog $op"
  fi
done <<'LIST'
switch|mk|mkernel mk__ctx_switch round trip|-
switch|swapcontext|glibc swapcontext round trip (user space only)|-
sched|yield|yield round trip, 2 tasks|120
sched|spawn|spawn + run + await, empty task|200
sched|cancel_sleep|cancel of a task blocked in sleep|-
sched|cancel_await|cancel of a task blocked in await (+ its child)|-
sched|mutex|mutex hand-off round trip|-
sched|condition|condition signal round trip|-
peers/boost|fcontext|peer Boost.Context fcontext round trip|-
peers/boost|continuation|peer Boost.Context continuation round trip|-
LIST
echo "note: instr: per operation = instructions collected around N=$N operations / N (callgrind --collect-atstart=no, toggled around the timed region)"
