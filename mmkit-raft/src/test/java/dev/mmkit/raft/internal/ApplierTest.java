package dev.mmkit.raft.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.raft.BucketPath;
import dev.mmkit.raft.ClusterException;
import dev.mmkit.raft.Op;
import dev.mmkit.raft.Write;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ApplierTest checks the order, the answers and the failure of the applying thread. */
class ApplierTest {
  private static final UUID GROUP = UUID.nameUUIDFromBytes("test".getBytes(UTF_8));
  private static final BucketPath BUCKET = BucketPath.of("b");

  @TempDir Path dir;

  private static ReplicaStore.Entry put(long index) {
    Write write =
        index == 1
            ? Write.of(Op.createBucket(BUCKET))
            : Write.of(Op.put(BUCKET, ("k" + index).getBytes(UTF_8), new byte[100]));
    return new ReplicaStore.Entry(1, index, new Request.Update(write), null);
  }

  @Test
  void shouldAnswerEachEntryAfterTheCommitThatHoldsIt() throws Exception {
    List<Long> commits = new CopyOnWriteArrayList<>();
    AtomicLong committed = new AtomicLong();
    try (ReplicaStore store = ReplicaStore.open(dir.resolve("kv.db"), GROUP);
        Applier applier =
            new Applier(
                store,
                "test-apply",
                (term, index) -> {
                  commits.add(index);
                  committed.set(index);
                },
                () -> {})) {
      List<CompletableFuture<Boolean>> answers = new ArrayList<>();
      for (long i = 1; i <= 500; i++) {
        long index = i;
        answers.add(
            applier
                .submit(put(i), 100)
                .thenApply(
                    r ->
                        r.equals(new Response.Written(true, index))
                            && committed.get() >= index
                            && store.applied().index() >= index));
      }
      applier.drain();
      for (CompletableFuture<Boolean> answer : answers) {
        assertThat(answer.isDone()).isTrue();
        assertThat(answer.get()).isTrue();
      }
      assertThat(commits).isSorted().endsWith(500L);
      assertThat(store.applied().index()).isEqualTo(500);
    }
  }

  @Test
  void shouldFailThisAndEveryLaterEntryWhenApplyingFails() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    ReplicaStore store = ReplicaStore.open(dir.resolve("kv.db"), GROUP);
    Runnable onFailure =
        () -> {
          failures.incrementAndGet();
          stopped.complete(null);
        };
    try (Applier applier = new Applier(store, "test-apply", (term, index) -> {}, onFailure)) {
      applier.submit(put(1), 100).get(10, TimeUnit.SECONDS);
      store.close();
      CompletableFuture<Response> failed = applier.submit(put(2), 100);
      assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(ClusterException.class);
      assertThatThrownBy(() -> applier.submit(put(3), 100).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("applying entries failed: first=2");
      assertThatThrownBy(applier::drain).isInstanceOf(ClusterException.class);
      stopped.get(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> applier.submit(put(4), 100).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
      assertThat(failures).hasValue(1);
    }
  }
}
