#!/usr/bin/env bash
# Runs the interleaved IPC comparison (dev.mmkit.bench.ipc.InterleavedRoundTrip): every transport
# in one pair of processes, taking turns in blocks, so that all see the same machine. Prints each
# transport's round-trip percentiles and throughput as ratios to the others measured in the same
# run, and with --runs N the median of N runs.
# Maven may run on an older JDK; the comparison runs on the JDK 25 that scripts/find-jdk.sh finds.
#
# Usage: scripts/ipc-interleaved.sh [--size 32] [--block 10000] [--blocks 40] [--warmup-blocks 20]
#        [--throughput-blocks 10] [--throughput-warmup-blocks 5] [--messages 100000] [--runs 1]
#        [--transports mmkit-busy-spin,agrona,...]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/find-jdk.sh
source "$root/scripts/find-jdk.sh"
java_home="$(mmkit_find_jdk)" || exit 4

echo "ipc-interleaved: building mmkit-bench..." >&2
(cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true \
  -pl mmkit-bench -am package)

bench="$root/mmkit-bench/target"
# Agrona 2.x reaches memory through jdk.internal.misc.Unsafe, which JDK 25 does not export.
exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED \
  --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
  -cp "$bench/classes:$bench/lib/*" dev.mmkit.bench.ipc.InterleavedRoundTrip "$@"
