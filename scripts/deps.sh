#!/bin/sh
# deps.sh: installs the Debian packages the build and the test suite need,
# if any is missing. As root it runs apt-get (update first); as another user
# it prints what to install and fails.
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
want aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
want /usr/aarch64-linux-gnu/lib/libc.a libc6-dev-arm64-cross
want qemu-aarch64 qemu-user
want ip iproute2
want ping iputils-ping
want md5sum coreutils
want clang clang                                           # fuzzing
want /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev
want valgrind valgrind                                     # memcheck runs
want /usr/include/seccomp.h libseccomp-dev                 # hosted sandbox
want /usr/lib/aarch64-linux-gnu/libseccomp.a libseccomp-dev:arm64
want pkg-config pkg-config
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
