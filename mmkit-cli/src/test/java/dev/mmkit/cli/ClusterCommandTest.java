package dev.mmkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmkit.cli.kv.TsvFormat;
import dev.mmkit.core.testing.ChildJvm;
import dev.mmkit.raft.BucketPath;
import dev.mmkit.raft.ClusterTimeoutException;
import dev.mmkit.raft.KvClient;
import dev.mmkit.raft.Peer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClusterCommandTest starts a cluster of three member processes with {@code mmkit cluster up},
 * drives it with the kv verbs and {@code cluster status} as a user would, adds a fourth member
 * started with {@code kv serve --join} and removes it, stops the cluster with {@code cluster down}
 * and starts it again on its data, and last kills two of its three members.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCommandTest {
  @TempDir static Path dir;
  private static final List<String> JVM_OPTIONS =
      List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
  private static String cluster;
  private static final List<Long> PIDS = new ArrayList<>();

  /** What {@code kv load} stored in the bucket files/copy: dump's output for it. */
  private static String loaded;

  private static ChildJvm joiner;
  private static String joinerAddress;

  @BeforeAll
  static void startCluster() throws IOException {
    up();
    cluster = Files.readString(dir.resolve("addresses")).strip();
  }

  /** Runs {@code cluster up} on {@link #dir} and records the members' process ids. */
  private static CliRun up() throws IOException {
    CliRun up =
        CliRun.of(
            "cluster", "up", "--nodes", "3", "--dir", dir.toString(), "--append-interval", "2");
    PIDS.clear();
    for (String id : List.of("n1", "n2", "n3")) {
      Path pid = dir.resolve(id).resolve("member.pid");
      if (Files.exists(pid)) {
        PIDS.add(Long.parseLong(Files.readString(pid).strip()));
      }
    }
    assertThat(up.exitCode()).as(up.err()).isZero();
    assertThat(up.out())
        .contains("leader n", "--cluster " + Files.readString(dir.resolve("addresses")).strip());
    return up;
  }

  @AfterAll
  static void killLeftovers() {
    PIDS.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    if (joiner != null) {
      joiner.close();
    }
  }

  private static CliRun kv(String verb, String... args) {
    return kvOn(cluster, verb, args);
  }

  private static CliRun kvOn(String addresses, String verb, String... args) {
    List<String> all = new ArrayList<>(List.of("kv", verb, "--cluster", addresses));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  /** Runs the kv verb until it exits 0, failing after 10 s. */
  private static CliRun awaitExitZero(String verb, String... args) {
    return awaitOutput(cluster, null, verb, args);
  }

  /**
   * Runs the kv verb on {@code addresses} until it exits 0 and, unless {@code expected} is null,
   * prints {@code expected}; fails after 10 s.
   */
  private static CliRun awaitOutput(
      String addresses, String expected, String verb, String... args) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    CliRun run = kvOn(addresses, verb, args);
    while ((run.exitCode() != 0 || (expected != null && !run.out().equals(expected)))
        && System.nanoTime() < deadline) {
      run = kvOn(addresses, verb, args);
    }
    assertThat(run.exitCode()).as(run.err()).isZero();
    if (expected != null) {
      assertThat(run.out()).isEqualTo(expected);
    }
    return run;
  }

  /** Returns the ids {@code cluster status --json} lists for {@code addresses}. */
  private static List<String> statusIds(String addresses) throws IOException {
    CliRun status = CliRun.of("cluster", "status", "--cluster", addresses, "--json");
    assertThat(status.exitCode()).as(status.err()).isZero();
    List<String> ids = new ArrayList<>();
    for (JsonNode m : new ObjectMapper().readTree(status.out()).get("members")) {
      ids.add(m.get("id").asText());
      assertThat(m.get("reachable").asBoolean()).as(m.toString()).isTrue();
    }
    return ids;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  @Order(1)
  void shouldPutGetScanAndDeleteThroughTheCluster() {
    assertThat(kv("put", "--bucket", "users/admins", "alice", "root").exitCode()).isZero();
    assertThat(kv("put", "--bucket", "users/admins", "bob", "ops").exitCode()).isZero();

    CliRun get = kv("get", "--bucket", "users/admins", "alice");
    assertThat(get.exitCode()).as(get.err()).isZero();
    assertThat(get.out()).isEqualTo("root" + System.lineSeparator());
    // A follower applies the write a moment after the leader acknowledged it.
    CliRun follower =
        awaitExitZero("get", "--bucket", "users/admins", "--read-mode", "follower:n3", "bob");
    assertThat(follower.out()).isEqualTo("ops" + System.lineSeparator());

    CliRun scan = kv("scan", "--bucket", "users/admins", "--reverse");
    assertThat(scan.out())
        .isEqualTo("bob\tops" + System.lineSeparator() + "alice\troot" + System.lineSeparator());

    assertThat(kv("del", "--bucket", "users/admins", "alice").exitCode()).isZero();
    CliRun gone = kv("get", "--bucket", "users/admins", "alice");
    assertThat(gone.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(gone.err()).contains("key not found: key=alice");
    assertThat(kv("del", "--bucket", "users/admins", "alice").exitCode())
        .isEqualTo(ExitCode.NOT_FOUND);
    CliRun noBucket = kv("get", "--bucket", "nobody", "alice");
    assertThat(noBucket.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(noBucket.err()).contains("no such bucket: bucket=nobody");
  }

  @Test
  @Order(2)
  void shouldReportOneLeaderAndEveryMemberAsJson() throws IOException {
    CliRun status = CliRun.of("cluster", "status", "--cluster", cluster, "--json");
    assertThat(status.exitCode()).as(status.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(status.out());
    List<String> ids = new ArrayList<>();
    List<String> leaders = new ArrayList<>();
    for (JsonNode m : report.get("members")) {
      ids.add(m.get("id").asText());
      assertThat(m.get("reachable").asBoolean()).as(m.toString()).isTrue();
      assertThat(m.get("commit").asLong()).as(m.toString()).isPositive();
      if (m.get("role").asText().equals("LEADER")) {
        leaders.add(m.get("id").asText());
      }
    }
    assertThat(ids).containsExactly("n1", "n2", "n3");
    assertThat(leaders).hasSize(1);
    assertThat(report.get("leader").asText()).isEqualTo(leaders.getFirst());
    assertThat(report.get("term").asLong()).isPositive();
  }

  @Test
  @Order(3)
  void shouldFailWithATimeoutWhenNoMemberAnswers() {
    CliRun wrong = CliRun.of("kv", "get", "--cluster", "n1=127.0.0.1:1", "--timeout", "1", "k");
    assertThat(wrong.exitCode()).isEqualTo(ExitCode.SYSTEM);
    assertThat(wrong.err()).contains("no answer from the cluster", "timeout=PT1S");
    CliRun malformed = CliRun.of("kv", "get", "--cluster", "n1:7001", "k");
    assertThat(malformed.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(malformed.err()).contains("want ID=HOST:PORT");
    CliRun interval =
        CliRun.of(
            "cluster", "up", "--dir", dir.resolve("other").toString(), "--append-interval", "90");
    assertThat(interval.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(interval.err()).contains("--append-interval is 0 to 37 ms");
  }

  @Test
  @Order(4)
  void shouldBenchTheClusterAndReadBackWhatItWrote() {
    CliRun bench =
        CliRun.of(
            "kv",
            "bench",
            dir.resolve("single.db").toString(),
            "--cluster",
            cluster,
            "--cluster-writes",
            "100",
            "--in-flight",
            "8",
            "--durable-puts",
            "20",
            "--warmup",
            "30",
            "--json");
    assertThat(bench.exitCode()).as(bench.err()).isZero();
    assertThat(bench.out())
        .contains("\"warmup\":{\"operations\":30,")
        .contains("\"inFlightWrites\":{\"operations\":100,")
        .contains("\"acknowledged\":140,\"missing\":0")
        .contains("\"durablePutsPerSecond\"");
  }

  @Test
  @Order(5)
  void shouldLoadAFileThatDumpGivesBackUnchanged() {
    SplittableRandom random = new SplittableRandom(5);
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 2500; i++) {
      byte[] value = new byte[200 + random.nextInt(200)];
      random.nextBytes(value);
      file.append(String.format(Locale.ROOT, "key-%05d", i))
          .append('\t')
          .append(TsvFormat.escape(value))
          .append(System.lineSeparator());
    }
    loaded = file.toString();
    // One batch of 2,500 lines (about 750 KB) is more than one replicated write holds, and the
    // dump reads three pages.
    CliRun load =
        CliRun.withInput(
            loaded,
            "kv",
            "load",
            "--cluster",
            cluster,
            "--bucket",
            "files/copy",
            "--batch",
            "2500");
    assertThat(load.exitCode()).as(load.err()).isZero();
    CliRun dump = kv("dump", "--bucket", "files/copy");
    assertThat(dump.exitCode()).as(dump.err()).isZero();
    assertThat(dump.out()).isEqualTo(loaded);
  }

  @Test
  @Order(6)
  void shouldAddAMemberStartedWithJoinThatCatchesUpAndHoldsTheData() throws Exception {
    int port = freePort();
    joinerAddress = "n4=127.0.0.1:" + port;
    joiner =
        ChildJvm.start(
            JVM_OPTIONS,
            Main.class,
            "kv",
            "serve",
            "--id",
            "n4",
            "--peers",
            joinerAddress,
            "--dir",
            dir.resolve("joiner").resolve("n4").toString(),
            "--join");
    joiner.awaitLine("mmkit kv serve: id=n4", Duration.ofSeconds(60));

    CliRun add =
        CliRun.of(
            "cluster", "add", "--cluster", cluster, "--id", "n4", "--address", "127.0.0.1:" + port);
    assertThat(add.exitCode()).as(add.err()).isZero();
    assertThat(add.out()).contains("added " + joinerAddress);

    // The new member is listed though --cluster does not name it, and it holds what the cluster
    // held before it joined, as it reads it itself.
    assertThat(statusIds(cluster)).containsExactly("n1", "n2", "n3", "n4");
    String withJoiner = cluster + "," + joinerAddress;
    awaitOutput(
        withJoiner,
        "ops" + System.lineSeparator(),
        "get",
        "--bucket",
        "users/admins",
        "--read-mode",
        "follower:n4",
        "bob");
    awaitOutput(withJoiner, loaded, "dump", "--bucket", "files/copy", "--read-mode", "follower:n4");
  }

  @Test
  @Order(7)
  void shouldRemoveAMemberThatStatusNoLongerLists() throws Exception {
    CliRun remove = CliRun.of("cluster", "remove", "--cluster", cluster, "--id", "n4");
    assertThat(remove.exitCode()).as(remove.err()).isZero();
    assertThat(remove.out()).contains("removed n4");
    // Named in --cluster and still running, the removed member is not a member any more.
    assertThat(statusIds(cluster + "," + joinerAddress)).containsExactly("n1", "n2", "n3");
    CliRun status = CliRun.of("cluster", "status", "--cluster", cluster + "," + joinerAddress);
    assertThat(status.out()).contains("not members of the cluster: " + joinerAddress);
    assertThat(kv("put", "--bucket", "users/admins", "carol", "dev").exitCode()).isZero();
    joiner.close();
  }

  @Test
  @Order(8)
  void shouldStopEveryMemberOnDown() throws IOException {
    assertThat(PIDS).hasSize(3);
    CliRun down = CliRun.of("cluster", "down", "--dir", dir.toString());
    assertThat(down.exitCode()).as(down.err()).isZero();
    assertThat(down.out()).contains("n1 stopped", "n2 stopped", "n3 stopped");
    for (long pid : PIDS) {
      Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      assertThat(process).as("member pid " + pid).isEmpty();
    }
    for (String id : List.of("n1", "n2", "n3")) {
      String log = Files.readString(dir.resolve(id).resolve("member.log"));
      assertThat(log)
          .contains("mmkit kv serve: id=" + id, "append-interval=2ms", "stopped id=" + id);
      assertThat(log).as("JVM warnings of " + id).doesNotContain("WARNING:");
      assertThat(dir.resolve(id).resolve("member.pid")).doesNotExist();
    }
  }

  @Test
  @Order(9)
  void shouldStartTheSameMembersOnTheirDataAgain() throws IOException {
    up();
    assertThat(Files.readString(dir.resolve("addresses")).strip()).isEqualTo(cluster);
    CliRun carol = kv("get", "--bucket", "users/admins", "carol");
    assertThat(carol.exitCode()).as(carol.err()).isZero();
    assertThat(carol.out()).isEqualTo("dev" + System.lineSeparator());
    assertThat(kv("dump", "--bucket", "files/copy").out()).isEqualTo(loaded);
  }

  @Test
  @Order(10)
  @Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang fails the test instead of the build
  void shouldFailAfterTheTimeoutWhenAMajorityIsLost() throws Exception {
    assertThat(PIDS).hasSize(3);
    for (long pid : PIDS.subList(0, 2)) {
      ProcessHandle member = ProcessHandle.of(pid).orElseThrow();
      member.destroyForcibly(); // SIGKILL
      member.onExit().get(30, TimeUnit.SECONDS);
    }
    CliRun put = kv("put", "--timeout", "2", "--bucket", "users/admins", "dave", "lost");
    assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCode.SYSTEM);
    assertThat(put.err()).contains("no answer from the cluster: timeout=PT2S");
    CliRun get = kv("get", "--timeout", "2", "--bucket", "users/admins", "carol");
    assertThat(get.exitCode()).as(get.err()).isEqualTo(ExitCode.SYSTEM);
    assertThat(get.err()).contains("no answer from the cluster: timeout=PT2S");

    BucketPath admins = BucketPath.of("users", "admins");
    byte[] key = "dave".getBytes(StandardCharsets.UTF_8);
    try (KvClient client =
        KvClient.builder(Peer.parseList(cluster)).timeout(Duration.ofSeconds(2)).build()) {
      assertThatThrownBy(() -> client.put(admins, key, key))
          .isInstanceOf(ClusterTimeoutException.class)
          .hasMessageContaining("no answer from the cluster: timeout=PT2S");
      assertThatThrownBy(() -> client.get(admins, key))
          .isInstanceOf(ClusterTimeoutException.class)
          .hasMessageContaining("no answer from the cluster: timeout=PT2S");
    }
  }
}
