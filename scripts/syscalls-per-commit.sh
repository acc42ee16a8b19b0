#!/usr/bin/env bash
# Counts the system calls of one durable single-put commit in each key-value store: runs
# dev.mmkit.bench.kv.DurablePuts under `strace -f -c` with 1000 and 3000 puts and prints the
# difference divided by 2000, so that starting the JVM and loading the data cancel out.
# Needs strace. Usage: scripts/syscalls-per-commit.sh [store ...]   (default: mmkit-kv lmdbjava rocksdb)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
java_home="$(mmkit_find_jdk)" || exit 4
command -v strace >/dev/null || { echo "syscalls-per-commit: strace is needed" >&2; exit 4; }

(cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true -Dmaven.javadoc.skip=true \
  -pl mmkit-bench -am package)
bench="$root/mmkit-bench/target"
stores=("$@")
[ ${#stores[@]} -gt 0 ] || stores=(mmkit-kv lmdbjava rocksdb)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

count() { # store puts -> "syscall count" lines
  local dir="$work/$1-$2"
  strace -f -c -o "$work/trace" "$java_home/bin/java" --enable-native-access=ALL-UNNAMED \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    -cp "$bench/classes:$bench/lib/*" dev.mmkit.bench.kv.DurablePuts "$1" "$dir" "$2" >&2
  # strace -c columns: % time, seconds, usecs/call, calls, [errors,] syscall
  awk '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { print $NF, $4 }' "$work/trace"
}

printf '| store | syscall | per commit |\n|---|---|---|\n'
for store in "${stores[@]}"; do
  count "$store" 1000 | sort > "$work/a"
  count "$store" 3000 | sort > "$work/b"
  join -a 2 -e 0 -o 0,1.2,2.2 "$work/a" "$work/b" |
    awk -v s="$store" '{ d = ($3 - $2) / 2000; if (d >= 0.05) printf "| %s | %s | %.2f |\n", s, $1, d }' |
    sort -t'|' -k4 -rn
done
