#!/usr/bin/env bash
# run.sh: end-to-end tests of the example unikernels on the hosted platform.
#
# Each test runs one unikernel (with a timeout) and checks its exit status
# and its output. Tests that need root (TAP interfaces in a private network
# namespace) skip with a message when run by another user. Network tests
# create their own namespace, TAP and addresses, talk to nothing else, and
# remove everything when they end.
#
# Environment: O (build directory, default build/default). Arguments: test
# names to run a subset.
set -u
cd "$(dirname "$0")/../.."
O=${O:-build/default}
EX=$O/examples
UK=$O/tests/uk
WORK=$(mktemp -d /tmp/mkernel-e2e.XXXXXX)
NETNS=mk-e2e-$$
passed=0 failed=0 skipped=0

cleanup() {
  ip netns del "$NETNS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

ok() { echo "ok   $1"; passed=$((passed + 1)); }
skip() { echo "skip $1: $2"; skipped=$((skipped + 1)); }
fail() {
  echo "FAIL $1: $2"
  [ -f "$WORK/out" ] && sed 's/^/     stdout: /' "$WORK/out"
  [ -f "$WORK/err" ] && sed 's/^/     stderr: /' "$WORK/err"
  failed=$((failed + 1))
}

# run_case NAME STATUS EXPECTED_STDOUT EXPECTED_STDERR_PART -- COMMAND...
# Runs COMMAND with a timeout; checks the exit status, that stdout is
# exactly EXPECTED_STDOUT and that stderr contains EXPECTED_STDERR_PART
# (empty: stderr must be empty).
run_case() {
  local name=$1 want_status=$2 want_out=$3 want_err=$4
  shift 5
  selected "$name" || return 0
  timeout 30 "$@" >"$WORK/out" 2>"$WORK/err"
  local status=$?
  local out err
  out=$(cat "$WORK/out")
  err=$(cat "$WORK/err")
  if [ "$status" -ne "$want_status" ]; then
    fail "$name" "exit status $status, wanted $want_status"
  elif [ "$out" != "$want_out" ]; then
    fail "$name" "stdout differs; wanted: $(printf '%q' "$want_out")"
  elif [ -z "$want_err" ] && [ -n "$err" ]; then
    fail "$name" "unexpected stderr"
  elif [ -n "$want_err" ] && [[ "$err" != *"$want_err"* ]]; then
    fail "$name" "stderr lacks: $want_err"
  else
    ok "$name"
  fi
}

SELECTED=("$@")
selected() {
  [ ${#SELECTED[@]} -eq 0 ] && return 0
  local s
  for s in "${SELECTED[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# ---- Scheduler examples ----------------------------------------------------

run_case hello 0 "Hello World!" "" -- "$EX/hello"
run_case sleep 0 $'Hello\nWorld' "" -- "$EX/sleep"
run_case schedule 0 $'Hello\nWorld' "" -- "$EX/schedule"
run_case cmdline 0 "$EX/cmdline --foo Foo --bar Bar"$'\nfoo: Some "Foo"\nbar: Some "Bar"' "" \
  -- "$EX/cmdline" --foo Foo --bar Bar
run_case cmdline-separator 0 "$EX/cmdline --foo=x"$'\nfoo: Some "x"\nbar: None' "" \
  -- "$EX/cmdline" --solo5:quiet -- --foo=x
run_case cmdline-none 0 "$EX/cmdline"$'\nfoo: None\nbar: None' "" -- "$EX/cmdline"

# ---- Faults ----------------------------------------------------------------

run_case stack-overflow-guard 255 "" 'mkernel: stack overflow in task "deep" (#2, spawned at tests/uk/overflow/overflow.c:' \
  -- "$UK/overflow"

# ---- Block -----------------------------------------------------------------

md5_of_page() { # FILE PAGE_SIZE INDEX
  dd if="$1" bs="$2" skip="$3" count=1 status=none | md5sum | cut -d' ' -f1
}

DISK=$WORK/disk.img
head -c $((8 * 4096)) /dev/urandom >"$DISK"
cp "$DISK" "$WORK/disk.orig"
run_case block 0 "00000000: $(md5_of_page "$DISK" 512 0)"$'\n'"00000200: $(md5_of_page "$DISK" 512 1)" "" \
  -- "$EX/block" --block:disk="$DISK"
run_case block-4096 0 "00000000: $(md5_of_page "$DISK" 4096 0)"$'\n'"00001000: $(md5_of_page "$DISK" 4096 1)" "" \
  -- "$EX/block" --block:disk="$DISK" --block-sector-size:disk=4096
if selected block-unchanged; then
  if cmp -s "$DISK" "$WORK/disk.orig"; then ok block-unchanged; else fail block-unchanged "the image changed"; fi
fi
run_case manifest 0 '{"type":"solo5.manifest","version":1,"devices":[{"name":"disk","type":"BLOCK_BASIC"}]}' "" \
  -- "$EX/block" --mk:manifest
run_case manifest-ping 0 '{"type":"solo5.manifest","version":1,"devices":[{"name":"service","type":"NET_BASIC"}]}' "" \
  -- "$EX/ping" --mk:manifest

# ---- Start-up errors: a clear message naming the device, exit status 1 -----

head -c 1000 /dev/zero >"$WORK/odd.img"
run_case err-unknown-option 1 "" "--blok:disk=x: unknown option" -- "$EX/block" --blok:disk=x
run_case err-missing-device 1 "" 'block device "disk" is required by the unikernel but not given' -- "$EX/block"
run_case err-device-twice 1 "" 'device "disk" is given twice' \
  -- "$EX/block" --block:disk="$DISK" --block:disk="$DISK"
run_case err-unused-device 1 "" 'device "extra" is given (--block:extra=' \
  -- "$EX/block" --block:disk="$DISK" --block:extra="$DISK"
run_case err-unused-by-schedule 1 "" 'device "disk" is given' -- "$EX/schedule" --block:disk="$DISK"
run_case err-kind-mismatch 1 "" 'device "disk" is given as a net device' -- "$EX/block" --net:disk=tap0
run_case err-no-file 1 "" "block device \"disk\": $WORK/none.img: No such file or directory" \
  -- "$EX/block" --block:disk="$WORK/none.img"
run_case err-size 1 "" 'block device "disk": '"$WORK/odd.img"': size 1000 is not a multiple of the sector size 512' \
  -- "$EX/block" --block:disk="$WORK/odd.img"
run_case err-sector-size 1 "" 'bad sector size "1000" for block device "disk"' \
  -- "$EX/block" --block:disk="$DISK" --block-sector-size:disk=1000
run_case err-sector-size-big 1 "" 'bad sector size "65536"' \
  -- "$EX/block" --block:disk="$DISK" --block-sector-size:disk=65536
run_case err-bad-mac 1 "" 'bad MAC address "02:00:00:00:00" for net device "service"' \
  -- "$EX/ping" --net:service=tap0 --net-mac:service=02:00:00:00:00
run_case err-multicast-mac 1 "" 'bad MAC address "01:00:5e:00:00:01"' \
  -- "$EX/ping" --net:service=tap0 --net-mac:service=01:00:5e:00:00:01
run_case err-bad-name 1 "" "bad device name" -- "$EX/block" --block:di-sk="$DISK"
run_case err-tap-missing 1 "" 'net device "service": TAP interface "mkno0" does not exist' \
  -- "$EX/ping" --net:service=mkno0 -- --ipv4=10.0.0.2/24

# ---- Network: TAP in a private namespace -----------------------------------

netns() { ip netns exec "$NETNS" "$@"; }

setup_netns() {
  ip netns add "$NETNS" &&
    netns ip link set lo up &&
    netns ip tuntap add mktap0 mode tap &&
    netns ip link set mktap0 up &&
    netns ip addr add 10.0.0.1/24 dev mktap0 &&
    netns ip tuntap add mktap1 mode tap # left down
}

NET_TESTS=(ping tap-down ping-mac)
if ! is_root; then
  for t in "${NET_TESTS[@]}"; do selected "$t" && skip "$t" "needs root to create a TAP in a network namespace"; done
elif ! setup_netns 2>"$WORK/netns.err"; then
  for t in "${NET_TESTS[@]}"; do selected "$t" && skip "$t" "cannot create a network namespace: $(cat "$WORK/netns.err")"; done
else
  run_case tap-down 1 "" 'net device "service": interface "mktap1" is down' \
    -- ip netns exec "$NETNS" "$EX/ping" --net:service=mktap1 -- --ipv4=10.0.0.2/24

  if selected ping; then
    # 100 echo requests, all answered; the unikernel exits after 100.
    netns "$EX/ping" --net:service=mktap0 -- --ipv4=10.0.0.2/24 --count=100 \
      >"$WORK/out" 2>"$WORK/err" &
    uk=$!
    sleep 0.3
    # Output is line-buffered, as on a console: visible while it runs.
    started=$(cat "$WORK/out")
    netns ping -c 100 -i 0.01 -W 2 10.0.0.2 >"$WORK/ping.out" 2>&1
    timeout 10 tail --pid=$uk -f /dev/null
    wait $uk
    status=$?
    if [[ "$started" != "ping: 10.0.0.2/24 on service (MAC "* ]]; then
      fail ping "no start-up line while running: $started"
    elif ! grep -q "100 packets transmitted, 100 received" "$WORK/ping.out"; then
      fail ping "not every echo request was answered: $(tail -2 "$WORK/ping.out" | head -1)"
    elif [ $status -ne 0 ]; then
      fail ping "unikernel exit status $status"
    else
      ok ping
    fi
  fi

  if selected ping-mac; then
    # The MAC given with --net-mac is the one the neighbour learns. Looked up
    # while the unikernel runs: closing the TAP flushes the entry.
    netns "$EX/ping" --net:service=mktap0 --net-mac:service=02:00:00:aa:bb:cc \
      -- --ipv4=10.0.0.3/24 --count=2 >"$WORK/out" 2>"$WORK/err" &
    uk=$!
    sleep 0.3
    netns ping -c 1 -W 2 10.0.0.3 >"$WORK/ping.out" 2>&1
    neigh=$(netns ip neigh show 10.0.0.3)
    netns ping -c 1 -W 2 10.0.0.3 >>"$WORK/ping.out" 2>&1
    wait $uk
    if [[ "$neigh" == *"02:00:00:aa:bb:cc"* ]]; then
      ok ping-mac
    else
      fail ping-mac "neighbour entry: $neigh"
    fi
  fi
fi

echo "e2e: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
