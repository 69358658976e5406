#!/bin/sh
# deps.sh: the Debian packages of the peers that `make bench` measures in
# the same run: Boost.Context (libboost-context-dev) and Go (golang-go), and
# valgrind for instruction counts. As root, installs what is missing
# (apt-get update first); as another user, says what is missing and goes
# on: the benchmarks that need it are then skipped with a message.
set -eu
need=""
want() { # COMMAND-OR-FILE PACKAGE
  case "$1" in
  /*) [ -e "$1" ] || need="$need $2" ;;
  *) command -v "$1" >/dev/null 2>&1 || need="$need $2" ;;
  esac
}
want /usr/include/boost/context/detail/fcontext.hpp libboost-context-dev
want c++ g++
want go golang-go
want valgrind valgrind
want /usr/include/valgrind/callgrind.h valgrind
want ip iproute2
[ -z "$need" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/deps.sh: missing:$need; their benchmarks will be skipped" >&2
  echo "bench/deps.sh: install them with: sudo apt-get install$need" >&2
  exit 0
fi
echo "bench/deps.sh: installing$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $need
