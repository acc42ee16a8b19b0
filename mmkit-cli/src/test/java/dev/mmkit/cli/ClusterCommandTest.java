package dev.mmkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClusterCommandTest starts a cluster of three member processes with {@code mmkit cluster up},
 * drives it with the kv verbs and {@code cluster status} as a user would, and stops it with {@code
 * cluster down}, last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCommandTest {
  @TempDir static Path dir;
  private static String cluster;
  private static final List<Long> PIDS = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws IOException {
    CliRun up = CliRun.of("cluster", "up", "--nodes", "3", "--dir", dir.toString());
    for (String id : List.of("n1", "n2", "n3")) {
      Path pid = dir.resolve(id).resolve("member.pid");
      if (Files.exists(pid)) {
        PIDS.add(Long.parseLong(Files.readString(pid).strip()));
      }
    }
    assertThat(up.exitCode()).as(up.err()).isZero();
    cluster = Files.readString(dir.resolve("addresses")).strip();
    assertThat(up.out()).contains("leader n", "--cluster " + cluster);
  }

  @AfterAll
  static void killLeftovers() {
    PIDS.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  private static CliRun kv(String verb, String... args) {
    List<String> all = new ArrayList<>(List.of("kv", verb, "--cluster", cluster));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  /** Runs the kv verb until it exits 0, failing after 10 s. */
  private static CliRun awaitExitZero(String verb, String... args) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    CliRun run = kv(verb, args);
    while (run.exitCode() != 0 && System.nanoTime() < deadline) {
      run = kv(verb, args);
    }
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run;
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
            "--json");
    assertThat(bench.exitCode()).as(bench.err()).isZero();
    assertThat(bench.out())
        .contains("\"inFlightWrites\":{\"operations\":100,")
        .contains("\"acknowledged\":110,\"missing\":0")
        .contains("\"durablePutsPerSecond\"");
  }

  @Test
  @Order(5)
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
      assertThat(log).contains("mmkit kv serve: id=" + id, "stopped id=" + id);
      assertThat(log).as("JVM warnings of " + id).doesNotContain("WARNING:");
      assertThat(dir.resolve(id).resolve("member.pid")).doesNotExist();
    }
  }
}
