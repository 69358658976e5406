#!/usr/bin/env bash
# run.sh: the load and soak tests, bounded in size so that CI runs them in
# every `make test` (see mk/soak.mk, which sets the sizes per build).
#
#   tasks        10 million spawn/await cycles and 1 million timers on the
#                test platform: RSS and live allocations flat after a
#                warm-up (tests/soak/soak_tasks.c)
#   tasks-hoard  the negative control: the same with records piling up;
#                the checks of `tasks` must fail it
#   netread      1000 tasks reading one TAP while tests/soak/flood.c sends
#                numbered frames from a network namespace and readers are
#                cancelled: every frame delivered exactly once, none to a
#                cancelled reader (tests/uk/soak_netread)
#   ping-flood   examples/ping under `ping -f` for SOAK_PING_SECONDS: still
#                alive, (almost) every request answered
#
# Environment: O (build directory), RUN (prefix for test-platform programs,
# e.g. qemu-aarch64: the network tests are then skipped), SOAK_CYCLES,
# SOAK_TIMERS, SOAK_FRAMES, SOAK_READERS, SOAK_PING_SECONDS,
# SOAK_PING_MAX_LOSS (percent, default 1). Arguments: test names (default
# all).
# Network tests need root; they create their own namespace and TAPs, touch
# nothing else, and skip with a message when not root.
set -u
cd "$(dirname "$0")/../.."
O=${O:-build/default}
RUN=${RUN:-}
SOAK_CYCLES=${SOAK_CYCLES:-10000000}
SOAK_TIMERS=${SOAK_TIMERS:-1000000}
SOAK_FRAMES=${SOAK_FRAMES:-200000}
SOAK_READERS=${SOAK_READERS:-1000}
SOAK_PING_SECONDS=${SOAK_PING_SECONDS:-10}
SOAK_PING_MAX_LOSS=${SOAK_PING_MAX_LOSS:-1}
WORK=$(mktemp -d /tmp/mkernel-soak.XXXXXX)
NETNS=mk-soak-$$
UK_MAC=02:00:00:00:50:01
uk=

cleanup() {
  [ -n "$uk" ] && kill "$uk" 2>/dev/null
  ip netns del "$NETNS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

PREFIX="soak "
. tests/lib/harness.sh
SELECTED=("$@")
show() { sed 's/^/     /' "$@"; }

# ---- Tasks and timers: flat memory -----------------------------------------

if selected tasks; then
  # shellcheck disable=SC2086
  $RUN "$O/tests/soak/soak_tasks" --cycles="$SOAK_CYCLES" \
    --timers="$SOAK_TIMERS" >"$WORK/tasks.out" 2>&1
  status=$?
  show "$WORK/tasks.out"
  if [ $status -eq 0 ]; then ok tasks; else fail tasks "exit status $status"; fi
fi

if selected tasks-hoard; then
  # Records kept alive on purpose: the same checks must see the growth.
  # shellcheck disable=SC2086
  $RUN "$O/tests/soak/soak_tasks" --cycles=$((SOAK_CYCLES / 10)) \
    --timers=$((SOAK_TIMERS / 100)) --hoard >"$WORK/hoard.out" 2>&1
  status=$?
  if [ $status -eq 1 ] && grep -q "FAIL: live allocations" "$WORK/hoard.out" &&
    grep -q "FAIL: anonymous RSS grew" "$WORK/hoard.out"; then
    ok "tasks-hoard (the checks catch growing memory)"
  else
    show "$WORK/hoard.out"
    fail tasks-hoard "exit status $status: the checks missed growing memory"
  fi
fi

# ---- Network ---------------------------------------------------------------

NET_TESTS=(netread ping-flood)
netns() { ip netns exec "$NETNS" "$@"; }

# A TAP with IPv6 off (no router solicitations in the way), up.
add_tap() { # NAME [ADDRESS]
  netns ip tuntap add "$1" mode tap &&
    netns sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1" &&
    netns ip link set "$1" up &&
    if [ -n "${2:-}" ]; then netns ip addr add "$2" dev "$1"; fi
}

# Waits (up to 10 s) until file $1 contains $2.
wait_for() {
  local i
  for i in $(seq 100); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

net_skip=
if [ -n "$RUN" ]; then
  net_skip="network tests do not run under $RUN"
elif [ "$(id -u)" -ne 0 ]; then
  net_skip="needs root to create a TAP in a network namespace"
elif ! { ip netns add "$NETNS" && netns ip link set lo up &&
  add_tap mksoak0 && add_tap mksoak1 10.0.0.1/24; } 2>"$WORK/netns.err"; then
  net_skip="cannot create a network namespace: $(cat "$WORK/netns.err")"
fi
if [ -n "$net_skip" ]; then
  for t in "${NET_TESTS[@]}"; do selected "$t" && skip "$t" "$net_skip"; done
fi

if [ -z "$net_skip" ] && selected netread; then
  netns "$O/tests/uk/soak_netread" --net:service=mksoak0 \
    --net-mac:service=$UK_MAC -- --frames="$SOAK_FRAMES" \
    --readers="$SOAK_READERS" >"$WORK/netread.out" 2>&1 &
  uk=$!
  if ! wait_for "$WORK/netread.out" "soak_netread: ready"; then
    kill $uk 2>/dev/null
    wait $uk
    uk=
    show "$WORK/netread.out"
    fail netread "the unikernel did not start"
  else
    netns "$O/tests/soak/flood" mksoak0 $UK_MAC "$SOAK_FRAMES" \
      >"$WORK/flood.out" 2>&1
    flood=$?
    timeout 30 tail --pid=$uk -f /dev/null
    kill $uk 2>/dev/null
    wait $uk
    status=$?
    uk=
    show "$WORK/flood.out" "$WORK/netread.out"
    if [ $flood -ne 0 ]; then
      fail netread "the sender failed (status $flood)"
    elif [ $status -ne 0 ]; then
      fail netread "unikernel exit status $status"
    else
      ok netread
    fi
  fi
fi

if [ -z "$net_skip" ] && selected ping-flood; then
  netns "$O/examples/ping" --net:service=mksoak1 -- --ipv4=10.0.0.2/24 \
    >"$WORK/ping-uk.out" 2>"$WORK/ping-uk.err" &
  uk=$!
  if ! wait_for "$WORK/ping-uk.out" "ping: 10.0.0.2/24"; then
    fail ping-flood "the unikernel did not start"
    show "$WORK/ping-uk.out" "$WORK/ping-uk.err"
  else
    netns ping -f -q -w "$SOAK_PING_SECONDS" 10.0.0.2 >"$WORK/ping.out" 2>&1
    alive=0
    kill -0 $uk 2>/dev/null && alive=1
    kill $uk 2>/dev/null
    wait $uk 2>/dev/null
    stats=$(grep "packets transmitted" "$WORK/ping.out")
    sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$stats")
    got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$stats")
    echo "     ping -f for ${SOAK_PING_SECONDS}s: ${stats:-no statistics}"
    if [ $alive -ne 1 ]; then
      show "$WORK/ping-uk.out" "$WORK/ping-uk.err"
      fail ping-flood "the unikernel died under load"
    elif [ -s "$WORK/ping-uk.err" ]; then
      show "$WORK/ping-uk.err"
      fail ping-flood "the unikernel wrote to stderr"
    elif [ -z "$sent" ] || [ -z "$got" ] || [ "$got" -lt 100 ]; then
      show "$WORK/ping.out"
      fail ping-flood "fewer than 100 replies"
    elif [ $(((sent - got) * 100)) -gt $((SOAK_PING_MAX_LOSS * sent)) ]; then
      fail ping-flood "loss $((sent - got)) of $sent is over $SOAK_PING_MAX_LOSS%"
    else
      ok "ping-flood ($got of $sent answered, $((sent - got)) lost)"
    fi
  fi
  uk=
fi

summary soak
