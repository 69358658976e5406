#!/usr/bin/env bash
# run.sh: runs every mkernel benchmark, prints each one's rows as it goes,
# then one combined table of all rows and notes. `make bench` and `make
# bench-quick` build the programs (build/bench, -O2, no sanitizers) and run
# this script; it can be run again by itself. Nothing here is a test: rows
# say whether a target is met, and the script succeeds either way; it fails
# only when a benchmark program itself fails.
#
# As root it raises vm.max_map_count for the run (the hosted platform maps
# each stack with a guard page: two mappings per task, and 100,000 tasks
# need more than the default 65,530), restoring it at the end, and the net
# benchmark creates (and removes) a private network namespace.
#
# Environment: O (build directory, default build/bench), BENCH_QUICK=1
# (small sizes), BENCH_REPS (repetitions, default 7, at least 5).
set -u
cd "$(dirname "$0")/.."
export O=${O:-build/bench}
export BENCH_QUICK=${BENCH_QUICK:-0}
B=$O/bench
WORK=$(mktemp -d /tmp/mk-bench.XXXXXX)
old_maps=""
status=0

cleanup() {
  [ -n "$old_maps" ] && sysctl -qw vm.max_map_count="$old_maps"
  rm -rf "$WORK"
}
trap cleanup EXIT

# run NAME COMMAND...: runs one benchmark, showing its output and keeping
# it for the combined table.
run() {
  local name=$1
  shift
  echo
  echo "==> $name"
  timeout 900 "$@" 2>&1 | tee "$WORK/$name.out"
  local s=${PIPESTATUS[0]}
  if [ "$s" -ne 0 ]; then
    echo "note: $name: FAILED with exit status $s" | tee -a "$WORK/$name.out"
    status=1
  fi
}

# median_of FILE LABEL: the median column of the row whose name starts
# with LABEL.
median_of() {
  awk -F'|' -v l="$2" 'index($2, " " l) == 1 { gsub(/ /, "", $3); print $3; exit }' "$1"
}

echo "mkernel benchmarks, $(date -u +%Y-%m-%d), $([ "$BENCH_QUICK" != 0 ] && echo quick || echo full) sizes"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs, Linux $(uname -r)"
echo "source: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src include 2>/dev/null || echo ', with uncommitted changes under src/ or include/')"
# Other work on the machine shows up as noise: keep a record of it.
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

if [ "$(id -u)" -eq 0 ]; then
  maps=$(cat /proc/sys/vm/max_map_count)
  if [ "$maps" -lt 1048576 ]; then
    old_maps=$maps
    sysctl -qw vm.max_map_count=1048576
  fi
fi

run switch "$B/switch"
run sched "$B/sched"
run timers "$B/timers"
run memory "$B/memory"

# Block: a file of random bytes in /tmp (not sparse: holes read without
# touching the page cache).
if [ "$BENCH_QUICK" != 0 ]; then mib=64; else mib=256; fi
disk=$WORK/disk.img
if head -c "${mib}M" /dev/urandom >"$disk"; then
  blk=("$B/uk/blockio" --block:disk="$disk" --block-sector-size:disk=4096)
  run block "${blk[@]}" -- "$disk" 4096
  # The hosted sandbox (seccomp) is paid on every system call; when it can
  # be turned off, show the same reads without it.
  if "$B/uk/echo" --mk:sandbox=off --mk:manifest >/dev/null 2>&1; then
    run block-nosandbox "${blk[0]}" --mk:sandbox=off "${blk[@]:1}" -- \
      "$disk" 4096 "sandbox off"
  fi
  rm -f "$disk"
else
  echo "note: block: skipped: cannot create a ${mib} MiB file in $WORK"
fi

run net bench/net.sh

if [ -x "$B/peers/boost" ]; then
  run boost "$B/peers/boost"
else
  echo "note: peer Boost.Context: skipped: libboost-context-dev is not installed"
fi
if [ -x "$B/peers/go" ]; then
  vs_yield=$(median_of "$WORK/sched.out" "sched: yield round trip")
  vs_spawn=$(median_of "$WORK/sched.out" "sched: spawn + run + await")
  run go "$B/peers/go" -vs-yield "${vs_yield:-0}" \
    -vs-spawn "${vs_spawn:-0}"
else
  echo "note: peer Go: skipped: golang-go is not installed"
fi

run instr bench/instr.sh

echo
echo "# All results"
echo
echo "| benchmark | median | min | max | unit | ratio | baseline | target |"
echo "|---|---:|---:|---:|---|---:|---|---|"
for f in switch sched timers memory block block-nosandbox net boost go instr; do
  [ -f "$WORK/$f.out" ] && grep '^| ' "$WORK/$f.out" | grep -v '^| benchmark |'
done
echo
for f in switch sched timers memory block block-nosandbox net boost go instr; do
  [ -f "$WORK/$f.out" ] && grep '^note: ' "$WORK/$f.out"
done
echo "note: load average (1, 5, 15 min) at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Ratios: row median / baseline median, both measured in the same run"
echo "(ns and instr: lower is better; frames/s and MB/s: higher is better)."
exit $status
