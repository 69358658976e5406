#!/bin/sh
# deps.sh [demo]: installs the Debian packages the build and the test suite
# need (with `demo`: only what building and running the demo needs), if any
# is missing. As root it runs apt-get (update first); as another user it
# prints what to install and fails.
set -eu
need=""
want() { # COMMAND-OR-FILE PACKAGE
  case "$1" in
  /*) [ -e "$1" ] || need="$need $2" ;;
  *) command -v "$1" >/dev/null 2>&1 || need="$need $2" ;;
  esac
}
want cc gcc
want make make
# The hosted sandbox's library, for this machine's architecture (the header
# alone may come from another architecture's package).
want "/usr/lib/$(cc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/libseccomp.so" libseccomp-dev
if [ "${1:-}" != demo ]; then
want aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
want /usr/aarch64-linux-gnu/lib/libc.a libc6-dev-arm64-cross
want qemu-aarch64 qemu-user
want ip iproute2
want ping iputils-ping
want md5sum coreutils
want clang clang                                           # fuzzing
want /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev
want valgrind valgrind                                     # memcheck runs
want /usr/lib/aarch64-linux-gnu/libseccomp.a libseccomp-dev:arm64
want pkg-config pkg-config
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: missing packages:$need" >&2
  echo "deps.sh: install them with: sudo apt-get install$need" >&2
  exit 1
fi
echo "deps.sh: installing$need"
export DEBIAN_FRONTEND=noninteractive
case "$need" in *:arm64*) dpkg --add-architecture arm64 ;; esac
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends$need
