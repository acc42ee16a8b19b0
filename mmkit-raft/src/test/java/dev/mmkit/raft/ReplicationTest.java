package dev.mmkit.raft;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.testing.ChildJvm;
import dev.mmkit.kv.KeyRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReplicationTest runs a three-member cluster of separate processes and drives it through the
 * client: writes, reads in every mode, scans, buckets, compare-and-swap, and bad input (a request
 * over the limit, an unknown bucket, a member started on another cluster's directory).
 */
class ReplicationTest {
  @TempDir static Path dir;
  private static LocalCluster cluster;
  private static KvClient kv;

  @BeforeAll
  static void startCluster() throws InterruptedException {
    cluster = LocalCluster.start(dir, 3, 100_000);
    kv = cluster.client(Duration.ofSeconds(20));
  }

  @AfterAll
  static void stopCluster() {
    if (kv != null) {
      kv.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void shouldReadWhatWasWrittenInEveryReadMode() {
    BucketPath users = BucketPath.of("users");
    kv.createBucket(users);
    long revision = kv.put(users, b("alice"), b("admin"));

    assertThat(kv.get(users, b("alice")).valueUtf8()).isEqualTo("admin");
    assertThat(kv.get(users, b("alice")).revision()).isEqualTo(revision);
    assertThat(kv.get(users, b("alice"), ReadMode.leader()).valueUtf8()).isEqualTo("admin");
    for (String member : cluster.ids()) {
      KeyValue seen = kv.get(users, b("alice"), ReadMode.follower(member, revision));
      assertThat(seen).as("read from " + member).isNotNull();
      assertThat(seen.valueUtf8()).isEqualTo("admin");
    }
    kv.delete(users, b("alice"));
    assertThat(kv.get(users, b("alice"))).isNull();
  }

  @Test
  void shouldScanRangesPrefixesInReverseAndWithLimits() {
    BucketPath scans = BucketPath.of("scans");
    kv.createBucket(scans);
    for (String k : List.of("a1", "a2", "a3", "b1", "b2")) {
      kv.put(scans, b(k), b("v" + k));
    }
    assertThat(keys(kv.scan(scans, KeyRange.prefix(b("a")), 0))).containsExactly("a1", "a2", "a3");
    assertThat(keys(kv.scan(scans, KeyRange.all().reversed(), 2))).containsExactly("b2", "b1");
    assertThat(keys(kv.scan(scans, KeyRange.closedOpen(b("a2"), b("b2")), 0)))
        .containsExactly("a2", "a3", "b1");
    assertThat(keys(kv.scan(scans, KeyRange.greaterThan(b("a3")), 0, ReadMode.leader())))
        .containsExactly("b1", "b2");
  }

  @Test
  void shouldNestBucketsAndDeleteThemWhole() {
    BucketPath outer = BucketPath.of("outer");
    BucketPath inner = outer.child(b("inner"));
    kv.txn(Write.of(Op.createBucket(outer), Op.createBucket(inner), Op.put(inner, b("k"), b("v"))));
    assertThat(kv.buckets(outer)).extracting(n -> new String(n, UTF_8)).containsExactly("inner");
    assertThat(kv.get(inner, b("k")).valueUtf8()).isEqualTo("v");
    kv.deleteBucket(outer);
    assertThatThrownBy(() -> kv.get(inner, b("k"))).isInstanceOf(UnknownBucketException.class);
  }

  @Test
  void shouldApplyOneBranchOfACompareAndSwap() {
    BucketPath cas = BucketPath.of("cas");
    kv.createBucket(cas);
    WriteResult first =
        kv.txn(
            Write.when(Compare.absent(cas, b("lock")))
                .then(Op.put(cas, b("lock"), b("me")))
                .otherwise());
    assertThat(first.succeeded()).isTrue();
    WriteResult second =
        kv.txn(
            Write.when(Compare.absent(cas, b("lock")))
                .then(Op.put(cas, b("lock"), b("other")))
                .otherwise(Op.put(cas, b("loser"), b("other"))));
    assertThat(second.succeeded()).isFalse();
    assertThat(kv.get(cas, b("lock")).valueUtf8()).isEqualTo("me");
    assertThat(kv.get(cas, b("loser")).valueUtf8()).isEqualTo("other");

    WriteResult byRevision =
        kv.txn(
            Write.when(Compare.revisionEquals(cas, b("lock"), first.revision()))
                .then(Op.put(cas, b("lock"), b("next")))
                .otherwise());
    assertThat(byRevision.succeeded()).isTrue();
    WriteResult byValue =
        kv.txn(
            Write.when(Compare.valueEquals(cas, b("lock"), b("me")))
                .then(Op.delete(cas, b("lock")))
                .otherwise());
    assertThat(byValue.succeeded()).isFalse();
    assertThat(kv.get(cas, b("lock")).revision()).isEqualTo(byRevision.revision());
  }

  @Test
  void shouldRefuseAnUnknownBucketAndWriteNothing() {
    BucketPath known = BucketPath.of("known");
    kv.createBucket(known);
    assertThatThrownBy(
            () ->
                kv.txn(
                    Write.of(
                        Op.put(known, b("k"), b("v")),
                        Op.put(BucketPath.of("missing"), b("k"), b("v")))))
        .isInstanceOf(UnknownBucketException.class)
        .hasMessageContaining("bucket=/missing");
    assertThat(kv.get(known, b("k"))).as("the first put of the refused write").isNull();
    assertThatThrownBy(() -> kv.get(BucketPath.of("missing"), b("k")))
        .isInstanceOf(UnknownBucketException.class);
    kv.put(known, b("k"), b("after"));
    assertThat(kv.get(known, b("k")).valueUtf8()).isEqualTo("after");
  }

  @Test
  void shouldRefuseARequestOverTheLimitInTheClientAndInTheMembers() {
    BucketPath big = BucketPath.of("big");
    kv.createBucket(big);
    byte[] tooLarge = new byte[cluster.requestLimit() + 1];
    assertThatThrownBy(() -> kv.put(big, b("k"), tooLarge))
        .isInstanceOf(RequestTooLargeException.class)
        .hasMessageContaining("limit=" + cluster.requestLimit());
    try (KvClient generous =
        KvClient.builder(cluster.peerList())
            .cluster(cluster.cluster())
            .requestLimit(4 * cluster.requestLimit())
            .build()) {
      assertThatThrownBy(() -> generous.put(big, b("k"), tooLarge))
          .isInstanceOf(RequestTooLargeException.class)
          .hasMessageContaining("limit=" + cluster.requestLimit());
      generous.put(big, b("k"), b("small"));
      assertThat(generous.get(big, b("k")).valueUtf8()).isEqualTo("small");
    }
  }

  @Test
  void shouldRefuseToStartOnAnotherClustersDirectory() throws Exception {
    Peer stranger = LocalCluster.freePeer("x1");
    ChildJvm first = cluster.launch("x1", List.of(stranger), "other");
    cluster.awaitReady("x1");
    try (KvClient other =
        KvClient.builder(List.of(stranger))
            .cluster("other")
            .timeout(Duration.ofSeconds(20))
            .build()) {
      other.put(BucketPath.ROOT, b("mine"), b("yes"));
    }
    cluster.stop("x1");
    assertThat(first.isAlive()).isFalse();

    ChildJvm wrong = cluster.launch("x1", List.of(stranger), cluster.cluster());
    wrong.awaitLine("refused", Duration.ofSeconds(60));
    assertThat(wrong.awaitExit(Duration.ofSeconds(30))).isEqualTo(3);
    assertThat(wrong.output().toString()).contains("directory belongs to another cluster");

    cluster.launch("x1", List.of(stranger), "other");
    cluster.awaitReady("x1");
    try (KvClient other =
        KvClient.builder(List.of(stranger))
            .cluster("other")
            .timeout(Duration.ofSeconds(20))
            .build()) {
      assertThat(other.get(BucketPath.ROOT, b("mine")).valueUtf8()).isEqualTo("yes");
    }
    cluster.stop("x1");
  }

  @Test
  void shouldPrintNoJvmWarnings() {
    kv.put(BucketPath.ROOT, b("warm"), b("up"));
    assertThat(cluster.errors()).doesNotContain("WARNING");
  }

  private static List<String> keys(List<KeyValue> entries) {
    return entries.stream().map(e -> new String(e.key(), UTF_8)).toList();
  }
}
