package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.core.testing.ChildJvm;
import dev.mmkit.core.testing.Smaps;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the core features in child JVMs without native access and checks how each degrades. */
class FallbackTest {
  @TempDir Path dir;

  @Test
  void shouldDegradeEveryFeatureWhenNativeAccessIsTurnedOff() throws Exception {
    Map<String, String> results =
        probe(List.of("--enable-native-access=ALL-UNNAMED", "-Ddev.mmkit.nativeAccess=false"));
    assertDegraded(results);
    assertThat(results.get("problem")).contains("turned off");
  }

  @Test
  void shouldDegradeWithAHintWhenTheJvmDeniesNativeAccess() throws Exception {
    Map<String, String> results = probe(List.of());
    assertDegraded(results);
    assertThat(results.get("problem")).contains("--enable-native-access");
  }

  private static void assertDegraded(Map<String, String> results) {
    assertThat(results)
        .containsEntry("features", "[]")
        .containsEntry("residencyKnown", "false")
        .containsEntry("advice", "ignored")
        .containsEntry("sync", "written back")
        .containsEntry("lock", "UnsupportedPlatformException")
        .containsEntry("touch", "ok")
        .containsEntry("anonymous", "ok")
        .containsEntry("hugePages", "UnsupportedPlatformException")
        .containsEntry("futexTimedOut", "true")
        .containsEntry("futexSawChange", "true")
        .containsEntry("grow", "ok")
        .containsEntry("truncated", "TruncatedException")
        .containsEntry("sharedLock", "ok");
  }

  private Map<String, String> probe(List<String> jvmOptions) throws Exception {
    Path file = dir.resolve("probe-" + System.nanoTime() + ".dat");
    try (ChildJvm child = ChildJvm.start(jvmOptions, Probe.class, file.toString())) {
      assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.describe()).isZero();
      return child.output().stream()
          .filter(line -> line.contains("="))
          .collect(
              Collectors.toMap(
                  line -> line.substring(0, line.indexOf('=')),
                  line -> line.substring(line.indexOf('=') + 1)));
    }
  }

  /** Child: exercises each feature and prints {@code name=outcome} lines. */
  public static final class Probe {
    private Probe() {}

    /** Argument: a file path to use. */
    public static void main(String[] args) throws Exception {
      Path path = Path.of(args[0]);
      System.out.println("features=" + Platform.liveFeatures());
      System.out.println("problem=" + Platform.nativeAccessProblem());
      try (MappedFile file = MappedFile.create(path, 1 << 20);
          Mapping mapping = file.map()) {
        System.out.println("residencyKnown=" + mapping.residency().isKnown());
        mapping.advise(0, 1 << 20, Advice.WILL_NEED);
        System.out.println("advice=ignored");
        for (int attempt = 0; attempt < 100 && Smaps.dirtyKb(mapping.segment()) == 0; attempt++) {
          mapping.putLong(0, 42);
        }
        long dirty = Smaps.dirtyKb(mapping.segment());
        mapping.sync(0, 4096, SyncMode.ASYNC);
        mapping.sync();
        long left = Smaps.dirtyKb(mapping.segment());
        System.out.println(
            "sync="
                + (dirty > 0 && left == 0 ? "written back" : "dirtyKb=" + dirty + " then " + left));
        System.out.println("lock=" + outcome(() -> mapping.lock(0, 4096)));
        mapping.touch(0, 1 << 20);
        System.out.println("touch=ok");
        file.grow(2 << 20);
        System.out.println("grow=" + (file.size() == 2 << 20 ? "ok" : "wrong size"));
        System.out.println(
            "hugePages="
                + outcome(() -> Mapping.anonymous(1 << 20, AnonymousOption.HUGE_PAGES).close()));
        try (Mapping anonymous = Mapping.anonymous(1 << 20)) {
          anonymous.putLong(8, 1);
          System.out.println("anonymous=" + (anonymous.getLong(8) == 1 ? "ok" : "wrong"));
          System.out.println(
              "futexTimedOut=" + !Futex.await(anonymous, 0, 0, Duration.ofMillis(20)));
          Thread waiter = Thread.currentThread();
          Thread changer =
              Thread.ofPlatform()
                  .start(
                      () -> {
                        // Change the word once the waiter is parked in its polling wait.
                        while (waiter.getState() != Thread.State.TIMED_WAITING) {
                          Thread.onSpinWait();
                        }
                        anonymous.atomics().setIntRelease(0, 1);
                        Futex.wake(anonymous, 0, 1);
                      });
          System.out.println(
              "futexSawChange=" + Futex.await(anonymous, 0, 0, Duration.ofSeconds(30)));
          changer.join();
          SharedLock.Guard guard = SharedLock.at(anonymous, 64).acquire(Duration.ofSeconds(5));
          guard.close();
          System.out.println("sharedLock=ok");
        }
        try (RandomAccessFile foreign = new RandomAccessFile(path.toFile(), "rw")) {
          foreign.setLength(4096);
        }
        System.out.println("truncated=" + outcome(() -> mapping.getLong((1 << 20) - 8)));
      }
    }

    private static String outcome(Runnable action) {
      try {
        action.run();
        return "ok";
      } catch (RuntimeException e) {
        return e.getClass().getSimpleName();
      }
    }
  }
}
