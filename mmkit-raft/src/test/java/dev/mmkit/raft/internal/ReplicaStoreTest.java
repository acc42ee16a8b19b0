package dev.mmkit.raft.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.kv.KeyRange;
import dev.mmkit.raft.BucketPath;
import dev.mmkit.raft.Compare;
import dev.mmkit.raft.KeyValue;
import dev.mmkit.raft.Op;
import dev.mmkit.raft.Write;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReplicaStoreTest applies log entries several to a transaction and checks that the outcome is
 * always that of one transaction per entry.
 */
class ReplicaStoreTest {
  private static final UUID GROUP = UUID.nameUUIDFromBytes(b("test"));
  private static final BucketPath USERS = BucketPath.of("users");

  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static ReplicaStore.Entry entry(long index, Write write) {
    return new ReplicaStore.Entry(1, index, new Request.Update(write), null);
  }

  @Test
  void shouldApplyABatchInOneCommitThatRecordsItsLastEntry() {
    try (ReplicaStore store = ReplicaStore.open(dir.resolve("kv.db"), GROUP)) {
      List<Response> answers =
          store.applyAll(
              List.of(
                  entry(1, Write.of(Op.createBucket(USERS))),
                  entry(2, Write.of(Op.put(USERS, b("a"), b("1")))),
                  entry(3, Write.of(Op.put(USERS, b("b"), b("2"))))));
      assertThat(answers)
          .containsExactly(
              new Response.Written(true, 1),
              new Response.Written(true, 2),
              new Response.Written(true, 3));
      assertThat(store.applied()).isEqualTo(new StoreLayout.Applied(1, 3));
    }
    try (ReplicaStore reopened = ReplicaStore.open(dir.resolve("kv.db"), GROUP)) {
      assertThat(reopened.applied()).isEqualTo(new StoreLayout.Applied(1, 3));
      assertThat(contents(reopened)).containsExactly("a=1@2", "b=2@3");
    }
  }

  @Test
  void shouldRollBackOnlyTheRefusedWriteOfABatch() {
    try (ReplicaStore store = ReplicaStore.open(dir.resolve("kv.db"), GROUP)) {
      List<Response> answers =
          store.applyAll(
              List.of(
                  entry(1, Write.of(Op.createBucket(USERS))),
                  entry(2, Write.of(Op.put(USERS, b("a"), b("1")))),
                  entry(
                      3,
                      Write.of(
                          Op.put(USERS, b("c"), b("3")),
                          Op.put(BucketPath.of("missing"), b("x"), b("y")))),
                  entry(4, Write.of(Op.put(USERS, b("b"), b("2"))))));
      assertThat(answers.get(2)).isInstanceOf(Response.Failed.class);
      assertThat(((Response.Failed) answers.get(2)).error())
          .isEqualTo(Response.Error.UNKNOWN_BUCKET);
      assertThat(answers.get(3)).isEqualTo(new Response.Written(true, 4));
      assertThat(store.applied()).isEqualTo(new StoreLayout.Applied(1, 4));
      assertThat(contents(store)).containsExactly("a=1@2", "b=2@4");
    }
  }

  @Test
  void shouldAnswerEntriesItAppliedBeforeARestartWithoutApplyingThemAgain() {
    try (ReplicaStore store = ReplicaStore.open(dir.resolve("kv.db"), GROUP)) {
      store.applyAll(
          List.of(
              entry(1, Write.of(Op.createBucket(USERS))),
              entry(2, Write.of(Op.put(USERS, b("a"), b("1"))))));
      List<Response> answers =
          store.applyAll(
              List.of(
                  entry(2, Write.of(Op.put(USERS, b("a"), b("replayed")))),
                  entry(3, Write.of(Op.put(USERS, b("b"), b("2"))))));
      assertThat(answers.get(0)).isInstanceOf(Response.Failed.class);
      assertThat(answers.get(1)).isEqualTo(new Response.Written(true, 3));
      assertThat(contents(store)).containsExactly("a=1@2", "b=2@3");
    }
  }

  /**
   * Random writes whose conditions depend on the entries before them in the same batch, some of
   * them refused, applied in random batches to one store and one entry at a time to another: the
   * answers, the data and the record of the last entry are the same.
   */
  @Test
  void shouldReachTheStateAndAnswersOfOneTransactionPerEntry() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    List<ReplicaStore.Entry> entries = new ArrayList<>();
    entries.add(entry(1, Write.of(Op.createBucket(USERS))));
    for (long index = 2; index <= 400; index++) {
      entries.add(entry(index, randomWrite(random, index)));
    }
    try (ReplicaStore batched = ReplicaStore.open(dir.resolve("batched.db"), GROUP);
        ReplicaStore single = ReplicaStore.open(dir.resolve("single.db"), GROUP)) {
      List<Response> batchedAnswers = new ArrayList<>();
      List<Response> singleAnswers = new ArrayList<>();
      for (int from = 0; from < entries.size(); ) {
        int to = Math.min(entries.size(), from + 1 + random.nextInt(20));
        batchedAnswers.addAll(batched.applyAll(entries.subList(from, to)));
        from = to;
      }
      for (ReplicaStore.Entry e : entries) {
        singleAnswers.addAll(single.applyAll(List.of(e)));
      }
      assertThat(batchedAnswers).as("seed=" + seed).isEqualTo(singleAnswers);
      assertThat(batchedAnswers)
          .as("seed=" + seed)
          .hasAtLeastOneElementOfType(Response.Failed.class);
      assertThat(contents(batched)).as("seed=" + seed).isEqualTo(contents(single));
      assertThat(batched.applied()).isEqualTo(single.applied());
    }
  }

  private static Write randomWrite(SplittableRandom random, long index) {
    byte[] key = b("k" + random.nextInt(8));
    byte[] value = b("v" + index);
    return switch (random.nextInt(5)) {
      case 0 -> Write.of(Op.put(USERS, key, value));
      case 1 -> Write.of(Op.delete(USERS, key));
      case 2 ->
          Write.when(Compare.absent(USERS, key))
              .then(Op.put(USERS, key, value))
              .otherwise(Op.put(USERS, b("taken"), value));
      case 3 ->
          Write.when(Compare.revisionEquals(USERS, key, index - 1))
              .then(Op.put(USERS, key, value))
              .otherwise();
      default -> Write.of(Op.put(USERS, key, value), Op.put(BucketPath.of("nope"), key, value));
    };
  }

  private static List<String> contents(ReplicaStore store) {
    Response r = store.read(new Request.Scan(USERS, KeyRange.all(), 0));
    List<String> out = new ArrayList<>();
    for (KeyValue kv : ((Response.Values) r).entries()) {
      out.add(
          new String(kv.key(), UTF_8) + "=" + new String(kv.value(), UTF_8) + "@" + kv.revision());
    }
    return out;
  }
}
