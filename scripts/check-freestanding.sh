#!/bin/sh
# check-freestanding.sh OBJ...: the core's objects, compiled -ffreestanding
# and linked together (ld -r), may leave undefined only the platform contract
# (mk__platform_*), the application's mk_main, the four memory functions
# every C compiler may emit calls to, and the linker's own GOT symbol.
set -eu
NM=${NM:-nm}
bad=$($NM -u "$@" | awk 'NF == 2 { print $2 } NF == 1 && !/:$/ { print $1 }' |
  sort -u | grep -v -E '^(mk__platform_[a-z_]+|memcpy|memset|memmove|memcmp|_GLOBAL_OFFSET_TABLE_)$' || true)
if [ -n "$bad" ]; then
  echo "freestanding check: the core needs symbols no freestanding platform provides:" >&2
  echo "$bad" >&2
  exit 1
fi
echo "freestanding check: core objects need only the platform contract and mem*:"
$NM -u "$@" | awk 'NF == 2 { print $2 }' | sort -u | tr '\n' ' '
echo
