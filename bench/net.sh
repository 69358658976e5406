#!/usr/bin/env bash
# net.sh: the net benchmark. As root, creates a private network namespace
# with one TAP interface, runs bench/net/netbench inside it against the
# mkernel echo unikernel and the plain C echo (see netbench.c), and removes
# the namespace however it ends. Skips, with a message, when not root or
# when namespaces cannot be created: it never touches the host's network.
#
# Environment: O (build directory, default build/bench), BENCH_QUICK,
# BENCH_REPS.
set -u
cd "$(dirname "$0")/.."
O=${O:-build/bench}
B=$O/bench
NS=mk-bench-$$
TAP=mkbtap0

if [ "$(id -u)" -ne 0 ]; then
  echo "note: net: skipped: needs root to create a network namespace and a TAP"
  exit 0
fi
cleanup() { ip netns del "$NS" 2>/dev/null; }
trap cleanup EXIT
if ! { ip netns add "$NS" &&
  ip netns exec "$NS" ip link set lo up &&
  ip netns exec "$NS" ip tuntap add "$TAP" mode tap &&
  ip netns exec "$NS" ip link set "$TAP" up; } 2>/tmp/mk-bench-net.$$; then
  echo "note: net: skipped: cannot create a namespace with a TAP: $(cat /tmp/mk-bench-net.$$)"
  rm -f /tmp/mk-bench-net.$$
  exit 0
fi
rm -f /tmp/mk-bench-net.$$
# No IPv6 on the TAP: router solicitations would be echoed and counted.
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null
ip netns exec "$NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
servers=("mkernel unikernel" "exec $B/uk/echo --net:service=$TAP")
# The hosted platform confines a running unikernel with seccomp, which every
# system call pays for; when it can be turned off, show what it costs.
if "$B/uk/echo" --mk:sandbox=off --mk:manifest >/dev/null 2>&1; then
  servers+=("mkernel unikernel, sandbox off"
    "exec $B/uk/echo --mk:sandbox=off --net:service=$TAP")
fi
servers+=("plain C read/write loop" "exec $B/net/plain_echo $TAP")
ip netns exec "$NS" "$B/net/netbench" "$TAP" "${servers[@]}"
