#!/usr/bin/env bash
# run.sh: end-to-end tests of the example unikernels on the hosted platform.
#
# Each test runs one unikernel (with a timeout) and checks its exit status
# and its output. Tests that need root (TAP interfaces in a private network
# namespace) skip with a message when run by another user. Network tests
# create their own namespace, TAP and addresses, talk to nothing else, and
# remove everything when they end.
#
# Environment: O (build directory, default build/default); SAN=1 for a
# sanitizer build; WRAP, a command to run every unikernel under (e.g.
# valgrind). Arguments: test names to run a subset.
set -u
cd "$(dirname "$0")/../.."
O=${O:-build/default}
WRAP=${WRAP:-}
EX=$O/examples
UK=$O/tests/uk
WORK=$(mktemp -d /tmp/mkernel-e2e.XXXXXX)
NETNS=mk-e2e-$$

cleanup() {
  ip netns del "$NETNS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

. tests/lib/harness.sh
SELECTED=("$@")

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


is_root() { [ "$(id -u)" -eq 0 ]; }

# wait_started FILE PREFIX: waits (up to 20 s) until FILE starts with PREFIX,
# the start-up line of a unikernel running in the background.
wait_started() {
  local i
  for i in $(seq 200); do
    [[ "$(head -c ${#2} "$1" 2>/dev/null)" == "$2" ]] && return 0
    sleep 0.1
  done
  return 1
}

# reap PID SECONDS: waits for a background unikernel, killing it if it is
# still running after SECONDS; sets `status` to its exit status (124 if it
# had to be killed).
reap() {
  if timeout "$2" tail --pid="$1" -f /dev/null; then
    wait "$1"
    status=$?
  else
    kill "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    status=124
  fi
}

# ---- Scheduler examples ----------------------------------------------------

run_case hello 0 "Hello World!" "" -- $WRAP "$EX/hello"
run_case sleep 0 $'Hello\nWorld' "" -- $WRAP "$EX/sleep"
run_case schedule 0 $'Hello\nWorld' "" -- $WRAP "$EX/schedule"
run_case cmdline 0 "$EX/cmdline --foo Foo --bar Bar"$'\nfoo: Some "Foo"\nbar: Some "Bar"' "" \
  -- $WRAP "$EX/cmdline" --foo Foo --bar Bar
run_case cmdline-separator 0 "$EX/cmdline --foo=x"$'\nfoo: Some "x"\nbar: None' "" \
  -- $WRAP "$EX/cmdline" --solo5:quiet -- --foo=x
run_case cmdline-none 0 "$EX/cmdline"$'\nfoo: None\nbar: None' "" -- $WRAP "$EX/cmdline"

# ---- Faults ----------------------------------------------------------------

run_case stack-overflow-guard 255 "" 'mkernel: stack overflow in task "deep" (#2, spawned at tests/uk/overflow/overflow.c:' \
  -- $WRAP "$UK/overflow"

# ---- Sandbox (off in sanitizer builds and under valgrind, whose runtimes
# need system calls of their own) -------------------------------------------

head -c 4096 /dev/zero >"$WORK/sandbox.img"
if [ "${SAN:-}" = 1 ] || [ -n "$WRAP" ]; then
  for t in sandbox-forbidden sandbox-off; do
    selected "$t" && skip "$t" "the sandbox is off in sanitizer builds and under valgrind"
  done
else
  run_case sandbox-forbidden 255 "allowed operations work" \
    "mkernel: sandbox: the unikernel made a forbidden system call (number " \
    -- $WRAP "$UK/forbidden" --block:disk="$WORK/sandbox.img"
  run_case sandbox-off 0 $'allowed operations work\nopened: yes' "" \
    -- $WRAP "$UK/forbidden" --mk:sandbox=off --block:disk="$WORK/sandbox.img"
fi

# ---- Block -----------------------------------------------------------------

md5_of_page() { # FILE PAGE_SIZE INDEX
  dd if="$1" bs="$2" skip="$3" count=1 status=none | md5sum | cut -d' ' -f1
}

DISK=$WORK/disk.img
head -c $((8 * 4096)) /dev/urandom >"$DISK"
cp "$DISK" "$WORK/disk.orig"
run_case block 0 "00000000: $(md5_of_page "$DISK" 512 0)"$'\n'"00000200: $(md5_of_page "$DISK" 512 1)" "" \
  -- $WRAP "$EX/block" --block:disk="$DISK"
run_case block-4096 0 "00000000: $(md5_of_page "$DISK" 4096 0)"$'\n'"00001000: $(md5_of_page "$DISK" 4096 1)" "" \
  -- $WRAP "$EX/block" --block:disk="$DISK" --block-sector-size:disk=4096
if selected block-unchanged; then
  if cmp -s "$DISK" "$WORK/disk.orig"; then ok block-unchanged; else fail block-unchanged "the image changed"; fi
fi
run_case deadlines-in-the-past 0 "3000 past or zero deadlines each in 2 tasks: ok" "" \
  -- $WRAP "$UK/deadlines"

# Every bad request is refused before any I/O: the image is unchanged.
BAD_EXPECTED="misaligned offset: invalid argument, invalid argument, invalid argument
zero length: invalid argument, invalid argument, invalid argument
partial page: invalid argument, invalid argument, invalid argument
past the end: invalid argument, invalid argument, invalid argument
straddling the end: invalid argument, invalid argument, invalid argument
offset overflow: invalid argument, invalid argument, invalid argument
null buffer: invalid argument"
for sector in 512 4096; do
  run_case "bad-block-requests-$sector" 0 "$BAD_EXPECTED" "" \
    -- $WRAP "$UK/badio" --block:disk="$DISK" --block-sector-size:disk=$sector
  if selected "bad-block-requests-$sector"; then
    cmp -s "$DISK" "$WORK/disk.orig" || fail "bad-block-requests-$sector" "the image changed"
  fi
done

run_case manifest 0 '{"type":"solo5.manifest","version":1,"devices":[{"name":"disk","type":"BLOCK_BASIC"}]}' "" \
  -- $WRAP "$EX/block" --mk:manifest
run_case manifest-ping 0 '{"type":"solo5.manifest","version":1,"devices":[{"name":"service","type":"NET_BASIC"}]}' "" \
  -- $WRAP "$EX/ping" --mk:manifest

# ---- Start-up errors: a clear message naming the device, exit status 1 -----

head -c 1000 /dev/zero >"$WORK/odd.img"
run_case err-unknown-option 1 "" "--blok:disk=x: unknown option" -- $WRAP "$EX/block" --blok:disk=x
run_case err-missing-device 1 "" 'block device "disk" is required by the unikernel but not given' -- $WRAP "$EX/block"
run_case err-device-twice 1 "" 'device "disk" is given twice' \
  -- $WRAP "$EX/block" --block:disk="$DISK" --block:disk="$DISK"
run_case err-unused-device 1 "" 'device "extra" is given (--block:extra=' \
  -- $WRAP "$EX/block" --block:disk="$DISK" --block:extra="$DISK"
run_case err-unused-by-schedule 1 "" 'device "disk" is given' -- $WRAP "$EX/schedule" --block:disk="$DISK"
run_case err-kind-mismatch 1 "" 'device "disk" is given as a net device' -- $WRAP "$EX/block" --net:disk=tap0
run_case err-no-file 1 "" "block device \"disk\": $WORK/none.img: No such file or directory" \
  -- $WRAP "$EX/block" --block:disk="$WORK/none.img"
run_case err-size 1 "" 'block device "disk": '"$WORK/odd.img"': size 1000 is not a multiple of the sector size 512' \
  -- $WRAP "$EX/block" --block:disk="$WORK/odd.img"
run_case err-sector-size 1 "" 'bad sector size "1000" for block device "disk"' \
  -- $WRAP "$EX/block" --block:disk="$DISK" --block-sector-size:disk=1000
run_case err-sector-size-big 1 "" 'bad sector size "65536"' \
  -- $WRAP "$EX/block" --block:disk="$DISK" --block-sector-size:disk=65536
run_case err-bad-mac 1 "" 'bad MAC address "02:00:00:00:00" for net device "service"' \
  -- $WRAP "$EX/ping" --net:service=tap0 --net-mac:service=02:00:00:00:00
run_case err-multicast-mac 1 "" 'bad MAC address "01:00:5e:00:00:01"' \
  -- $WRAP "$EX/ping" --net:service=tap0 --net-mac:service=01:00:5e:00:00:01
run_case err-bad-name 1 "" "bad device name" -- $WRAP "$EX/block" --block:di-sk="$DISK"
run_case err-tap-missing 1 "" 'net device "service": TAP interface "mkno0" does not exist' \
  -- $WRAP "$EX/ping" --net:service=mkno0 -- --ipv4=10.0.0.2/24

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
    -- ip netns exec "$NETNS" $WRAP "$EX/ping" --net:service=mktap1 -- --ipv4=10.0.0.2/24

  if selected ping; then
    # 100 echo requests, all answered; the unikernel exits after 100.
    netns $WRAP "$EX/ping" --net:service=mktap0 -- --ipv4=10.0.0.2/24 --count=100 \
      >"$WORK/out" 2>"$WORK/err" &
    uk=$!
    # Output is line-buffered, as on a console: visible while it runs.
    if ! wait_started "$WORK/out" "ping: 10.0.0.2/24 on service (MAC "; then
      kill $uk 2>/dev/null
      fail ping "no start-up line while running: $(cat "$WORK/out")"
    else
      netns ping -c 100 -i 0.01 -W 2 10.0.0.2 >"$WORK/ping.out" 2>&1
      reap $uk 30
      if ! grep -q "100 packets transmitted, 100 received" "$WORK/ping.out"; then
        fail ping "not every echo request was answered: $(tail -2 "$WORK/ping.out" | head -1)"
      elif [ "$status" -ne 0 ]; then
        fail ping "unikernel exit status $status"
      else
        ok ping
      fi
    fi
  fi

  if selected ping-mac; then
    # The MAC given with --net-mac is the one the neighbour learns. Looked up
    # while the unikernel runs: closing the TAP flushes the entry.
    netns $WRAP "$EX/ping" --net:service=mktap0 --net-mac:service=02:00:00:aa:bb:cc \
      -- --ipv4=10.0.0.3/24 >"$WORK/out" 2>"$WORK/err" &
    uk=$!
    wait_started "$WORK/out" "ping: "
    for attempt in $(seq 10); do
      netns ping -c 1 -W 3 10.0.0.3 >"$WORK/ping.out" 2>&1 && break
    done
    neigh=$(netns ip neigh show 10.0.0.3)
    kill $uk 2>/dev/null
    wait $uk 2>/dev/null
    if [[ "$neigh" == *"02:00:00:aa:bb:cc"* ]]; then
      ok ping-mac
    else
      fail ping-mac "neighbour entry: $neigh"
    fi
  fi
fi

summary e2e
