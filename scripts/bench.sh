#!/usr/bin/env bash
# Runs mmkit's benchmarks in one go and writes the results into docs/bench/:
#   RESULTS.md, results.json, core.png, kv.png, ipc.png  (JMH: mmkit-bench module, BenchRunner)
#   io.md, io.json, io.png                               (./mmkit bench io, pinned to one CPU)
# Maven may run on an older JDK; the benchmarks run on the JDK 25 that scripts/find-jdk.sh finds.
#
# Usage: scripts/bench.sh [--quick] [--no-io] [BenchRunner options: --groups core,kv,ipc
#        --stores lmdbjava,mapdb,mvstore,rocksdb --transports mmkit-busy-spin,agrona,uds --entries N
#        --pin CPU|none --out DIR]
# --quick runs everything on tiny data with one short iteration: it checks that the
# benchmarks run and measures nothing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
java_home="$(mmkit_find_jdk)" || exit 4

io=yes
quick=no
out="$root/docs/bench"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-io) io=no ;;
    --quick) quick=yes; args+=("$1") ;;
    --out) out="$2"; args+=("$1" "$2"); shift ;;
    *) args+=("$1") ;;
  esac
  shift
done
mkdir -p "$out"

echo "bench: building mmkit-bench and the mmkit CLI..." >&2
(cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true -Dmaven.javadoc.skip=true \
  -pl mmkit-bench,mmkit-cli -am package)

bench="$root/mmkit-bench/target"
"$java_home/bin/java" --enable-native-access=ALL-UNNAMED \
  -Dmmkit.bench.data="$bench/bench-data" \
  -cp "$bench/classes:$bench/lib/*" dev.mmkit.bench.BenchRunner --out "$out" "${args[@]}"

if [ "$io" = yes ]; then
  io_args=()
  [ "$quick" = yes ] && io_args=(--size 64MiB --files 1000 --repeats 1)
  pin=()
  if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -gt 1 ]; then pin=(taskset -c 0); fi
  echo "bench: ${pin[*]:-} ./mmkit bench io ${io_args[*]:-}" >&2
  "${pin[@]}" "$root/mmkit" bench io "${io_args[@]}" --json="$out/io.json" \
    --chart "$out/io.png" > "$out/io.md"
  cat "$out/io.md"
fi
echo "bench: results in $out" >&2
