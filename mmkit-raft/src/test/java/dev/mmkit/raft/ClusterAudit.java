package dev.mmkit.raft;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * ClusterAudit checks a cluster after a test's load: every member applied everything, then, with
 * the members stopped, each database passes its check, all hold the same data, every acknowledged
 * write is there and no write was applied twice.
 */
final class ClusterAudit {
  private ClusterAudit() {}

  /** Audits the members {@code members} of {@code cluster}; stops every running member. */
  static void audit(LocalCluster cluster, List<String> members, Map<String, String> acknowledged)
      throws InterruptedException {
    long barrier;
    try (KvClient kv = cluster.client(Duration.ofSeconds(30))) {
      barrier = kv.put(BucketPath.ROOT, "barrier".getBytes(UTF_8), new byte[0]);
      for (String member : members) {
        assertThat(
                kv.get(
                    BucketPath.ROOT, "barrier".getBytes(UTF_8), ReadMode.follower(member, barrier)))
            .as("barrier on " + member)
            .isNotNull();
      }
    }
    cluster.stopAll();
    String digest = null;
    for (String member : members) {
      StoreDigest d = StoreDigest.read(cluster.dir(member), WriteLoad.BUCKET);
      assertThat(d.applied()).as("applied index of " + member).isGreaterThanOrEqualTo(barrier);
      assertThat(d.values())
          .as("acknowledged writes on " + member)
          .containsAllEntriesOf(acknowledged);
      assertThat(StoreDigest.read(cluster.dir(member), WriteLoad.DUPS).values())
          .as("writes applied twice on " + member)
          .isEmpty();
      if (digest == null) {
        digest = d.digest();
      } else {
        assertThat(d.digest())
            .as("digest of " + member + " against " + members.get(0))
            .isEqualTo(digest);
      }
    }
  }
}
