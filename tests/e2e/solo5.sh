#!/usr/bin/env bash
# solo5.sh: end-to-end tests of the example unikernels as Solo5 images, on
# every Solo5 tender available here: spt (a seccomp-sandboxed process), hvt
# (KVM) and virtio (qemu-system-x86_64, without KVM). The expected outputs
# are those of the hosted tests (tests/e2e/run.sh), except that argv[0] is
# the image's name, and that virtio's console ends lines with "\r\n" (the
# "\r" is dropped before comparing) and its exit status is always qemu's
# isa-debug-exit code, so it is not checked there.
#
# A tender that cannot run here is skipped with one line saying why: no
# Solo5 install, no /dev/kvm, no qemu; so is everything under SAN=1, off
# x86_64 and with E2E=0 (mk/solo5.mk passes those). Network tests need root:
# they create a network namespace with a TAP in it, use only addresses on
# that TAP, and remove it when they end.
#
# Environment: SOLO5_BINDIR (directory of the Solo5 tenders; else
# SOLO5_PREFIX/bin, else PATH), SOLO5_O (images, default build/solo5),
# SAN, ARCH, SOLO5_ARCH, E2E. Arguments: tenders (spt, hvt, virtio) or
# tests (spt/hello) to run a subset.
set -u
cd "$(dirname "$0")/../.."
SOLO5_O=${SOLO5_O:-build/solo5}
TENDERS=(spt hvt virtio)
. tests/lib/harness.sh

skip_all() {
  local t
  for t in "${TENDERS[@]}"; do echo "skip solo5-$t: $1"; done
  echo "solo5 e2e: 0 passed, 0 failed, ${#TENDERS[@]} skipped"
  exit 0
}

[ "${E2E:-1}" = 1 ] || skip_all "end-to-end tests are off (E2E=${E2E})"
[ "${SAN:-}" != 1 ] || skip_all "Solo5 images are not built under SAN=1 (no sanitizer runtime in an image)"
if [ -n "${ARCH:-}" ] && [ "$ARCH" != "${SOLO5_ARCH:-x86_64}" ]; then
  skip_all "this build is for $ARCH, the Solo5 images for ${SOLO5_ARCH:-x86_64}"
fi
if [ -z "${SOLO5_BINDIR:-}" ]; then
  if [ -n "${SOLO5_PREFIX:-}" ]; then
    SOLO5_BINDIR=$SOLO5_PREFIX/bin/
  elif command -v solo5-spt >/dev/null 2>&1; then
    SOLO5_BINDIR=$(dirname "$(command -v solo5-spt)")/
  fi
fi
[ -n "${SOLO5_BINDIR:-}" ] || skip_all "no Solo5 install found (set SOLO5_PREFIX)"
BIN=${SOLO5_BINDIR%/}
[ -e "$SOLO5_O/examples/hello.spt" ] ||
  skip_all "no images in $SOLO5_O (make solo5 SOLO5_PREFIX=$(dirname "$BIN"))"

WORK=$(mktemp -d /tmp/mkernel-solo5-e2e.XXXXXX)
NETNS=mk-solo5-$$
cleanup() {
  ip netns del "$NETNS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

SELECTED=("$@")

# Whether any test of TENDER is selected.
tender_selected() {
  [ ${#SELECTED[@]} -eq 0 ] && return 0
  local s
  for s in "${SELECTED[@]}"; do
    [ "$s" = "$1" ] || [ "${s%%/*}" = "$1" ] && return 0
  done
  return 1
}


now_ms() { echo $(($(date +%s%N) / 1000000)); }
seconds() { # START_MS
  local ms=$(($(now_ms) - $1))
  printf '%d.%02d' $((ms / 1000)) $((ms % 1000 / 10))
}

# uk TENDER IMAGE [DEVICE...] -- [ARGUMENT...]: sets CMD to the command that
# runs IMAGE (examples/hello, tests/canary) on TENDER with the devices
# (net:NAME=TAP, block:NAME=PATH, block-sector-size:NAME=N) and the
# unikernel's arguments, with Solo5's own messages turned off.
uk() {
  local tender=$1 image=$SOLO5_O/$2.$1
  shift 2
  local devs=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do devs+=("$1"); shift; done
  shift
  case $tender in
  spt | hvt) CMD=("$BIN/solo5-$tender" "${devs[@]/#/--}" "$image" --solo5:quiet "$@") ;;
  virtio)
    local opts=() d
    for d in "${devs[@]}"; do
      case $d in
      net:*) opts+=(-n "${d#*=}") ;;
      block:*) opts+=(-d "${d#*=}") ;;
      esac
    done
    CMD=("$BIN/solo5-virtio-run" -q -H qemu "${opts[@]}" "$image" -- --solo5:quiet "$@") ;;
  esac
}

# run_case TENDER/NAME STATUS EXPECTED_STDOUT IMAGE [DEVICE...] -- [ARG...]
# Runs the image with a timeout and checks its exit status (not on virtio),
# that its console output is exactly EXPECTED_STDOUT and that the tender
# printed nothing on stderr.
run_case() {
  local name=$1 want_status=$2 want_out=$3 tender=${1%%/*}
  shift 3
  selected "$name" || return 0
  uk "$tender" "$@"
  local start
  start=$(now_ms)
  timeout "$TIMEOUT" "${CMD[@]}" </dev/null >"$WORK/out" 2>"$WORK/err"
  local status=$? took
  took=$(seconds "$start")
  [ "$tender" = virtio ] && sed -i 's/\r$//' "$WORK/out"
  local out
  out=$(cat "$WORK/out")
  if [ "$status" -eq 124 ]; then
    fail "$name" "timed out after $TIMEOUT s"
  elif [ "$tender" != virtio ] && [ "$status" -ne "$want_status" ]; then
    fail "$name" "exit status $status, wanted $want_status"
  elif [ "$out" != "$want_out" ]; then
    fail "$name" "output differs; wanted: $(printf '%q' "$want_out")"
  elif [ -s "$WORK/err" ]; then
    fail "$name" "unexpected stderr"
  else
    ok "$name" "$took s"
  fi
  LAST_SECONDS=$took
}

md5_of_page() { # FILE PAGE_SIZE INDEX
  dd if="$1" bs="$2" skip="$3" count=1 status=none | md5sum | cut -d' ' -f1
}

is_root() { [ "$(id -u)" -eq 0 ]; }
netns() { ip netns exec "$NETNS" "$@"; }
NETNS_STATE=untried # untried, ready or the reason it failed
setup_netns() {
  [ "$NETNS_STATE" = untried ] || return 0
  if ! is_root; then
    NETNS_STATE="needs root to create a TAP in a network namespace"
  elif ip netns add "$NETNS" 2>"$WORK/netns.err" &&
    netns ip link set lo up 2>>"$WORK/netns.err" &&
    netns ip tuntap add mktap0 mode tap 2>>"$WORK/netns.err" &&
    netns ip link set mktap0 up 2>>"$WORK/netns.err" &&
    netns ip addr add 10.0.0.1/24 dev mktap0 2>>"$WORK/netns.err"; then
    NETNS_STATE=ready
  else
    NETNS_STATE="cannot create a network namespace: $(cat "$WORK/netns.err")"
  fi
}

# ping_case TENDER IPV4: 100 echo requests from the namespace, all
# answered, then the unikernel exits by itself (--count=100).
ping_case() {
  local tender=$1 ip=$2 name=$1/ping
  selected "$name" || return 0
  setup_netns
  if [ "$NETNS_STATE" != ready ]; then
    skip "$name" "$NETNS_STATE"
    return 0
  fi
  uk "$tender" examples/ping net:service=mktap0 -- --ipv4="$ip"/24 --count=100
  local start
  start=$(now_ms)
  netns timeout "$TIMEOUT" "${CMD[@]}" </dev/null >"$WORK/out" 2>"$WORK/err" &
  local pid=$! i
  # Booting takes from a millisecond (spt) to a second or more (qemu).
  for i in $(seq 200); do
    grep -q "^ping: " "$WORK/out" && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
  done
  local started
  started=$(head -1 "$WORK/out" | tr -d '\r')
  netns ping -c 100 -i 0.01 -W 2 "$ip" >"$WORK/ping.out" 2>&1
  wait $pid
  local status=$? took
  took=$(seconds "$start")
  if [[ "$started" != "ping: $ip/24 on service (MAC "* ]]; then
    fail "$name" "no start-up line: $started"
  elif ! grep -q "100 packets transmitted, 100 received" "$WORK/ping.out"; then
    fail "$name" "not every echo request was answered: $(grep transmitted "$WORK/ping.out")"
  elif [ $status -eq 124 ]; then
    fail "$name" "the unikernel did not exit after 100 replies"
  elif [ "$tender" != virtio ] && [ $status -ne 0 ]; then
    fail "$name" "unikernel exit status $status"
  else
    ok "$name" "$took s; $(grep -o 'rtt.*' "$WORK/ping.out")"
  fi
}

# Why TENDER cannot run here, or nothing.
unavailable() {
  case $1 in
  spt) [ -x "$BIN/solo5-spt" ] || echo "no $BIN/solo5-spt" ;;
  hvt)
    if [ ! -x "$BIN/solo5-hvt" ]; then
      echo "no $BIN/solo5-hvt"
    elif [ ! -w /dev/kvm ]; then
      echo "no usable /dev/kvm"
    fi
    ;;
  virtio)
    if [ ! -x "$BIN/solo5-virtio-run" ]; then
      echo "no $BIN/solo5-virtio-run"
    elif ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
      echo "qemu-system-x86_64 is not installed (Debian: qemu-system-x86)"
    fi
    ;;
  esac
}

DISK=$WORK/disk.img
head -c $((8 * 4096)) /dev/urandom >"$DISK"
cp "$DISK" "$WORK/disk.orig"
BLOCK_512="00000000: $(md5_of_page "$DISK" 512 0)"$'\n'"00000200: $(md5_of_page "$DISK" 512 1)"
BLOCK_4096="00000000: $(md5_of_page "$DISK" 4096 0)"$'\n'"00001000: $(md5_of_page "$DISK" 4096 1)"
declare -A IPS=([spt]=10.0.0.2 [hvt]=10.0.0.3 [virtio]=10.0.0.4)

for t in "${TENDERS[@]}"; do
  tender_selected "$t" || continue
  why=$(unavailable "$t")
  if [ -n "$why" ]; then
    echo "skip solo5-$t: $why"
    skipped=$((skipped + 1))
    continue
  fi
  TIMEOUT=60
  run_case "$t/hello" 0 "Hello World!" examples/hello --
  run_case "$t/sleep" 0 $'Hello\nWorld' examples/sleep --
  # Two one-second sleeps: the clock and the wait agree with the host's.
  if selected "$t/sleep" && [ "${LAST_SECONDS%%.*}" -lt 2 ] 2>/dev/null; then
    fail "$t/sleep-duration" "took $LAST_SECONDS s, less than the 2 s slept"
  fi
  run_case "$t/schedule" 0 $'Hello\nWorld' examples/schedule --
  run_case "$t/cmdline" 0 $'cmdline --foo Foo --bar Bar\nfoo: Some "Foo"\nbar: Some "Bar"' \
    examples/cmdline -- --foo Foo --bar Bar
  run_case "$t/cmdline-separator" 0 $'cmdline --foo=x\nfoo: Some "x"\nbar: None' \
    examples/cmdline -- -- --foo=x
  run_case "$t/cmdline-none" 0 $'cmdline\nfoo: None\nbar: None' examples/cmdline --
  run_case "$t/block" 0 "$BLOCK_512" examples/block block:disk="$DISK" --
  if [ "$t" = virtio ]; then
    selected "$t/block-4096" && skip "$t/block-4096" "Solo5's virtio disks have 512-byte sectors"
  else
    run_case "$t/block-4096" 0 "$BLOCK_4096" examples/block block:disk="$DISK" \
      block-sector-size:disk=4096 --
  fi
  if selected "$t/block-unchanged"; then
    if cmp -s "$DISK" "$WORK/disk.orig"; then ok "$t/block-unchanged" "the disk is unchanged"; else fail "$t/block-unchanged" "the image changed"; fi
  fi
  # No guard page on Solo5: the core's canary catches the overflow.
  run_case "$t/stack-overflow-canary" 255 \
    'mkernel: stack overflow in task "deep" (#2, spawned at tests/solo5/uk/canary/canary.c:32): its 8192-byte stack is too small (see mk_spawn_opts.stack_size)' \
    tests/canary --
  ping_case "$t" "${IPS[$t]}"
done

# The manifest each image carries is the one its hosted build prints.
if selected manifest; then
  want=$(tr -d ' \n' <"$SOLO5_O/examples/block/manifest.json")
  got=$("$BIN/solo5-elftool" query-manifest "$SOLO5_O/examples/block.spt" | tr -d ' \n')
  if [ "$got" = "$want" ]; then ok manifest "block.spt carries its hosted manifest"; else fail manifest "embedded: $got; hosted: $want"; fi
fi

summary "solo5 e2e"
