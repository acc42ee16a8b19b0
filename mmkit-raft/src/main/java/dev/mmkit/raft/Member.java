package dev.mmkit.raft;

import dev.mmkit.raft.internal.KvStateMachine;
import dev.mmkit.raft.internal.RaftSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;

/**
 * Member is one running replica of the replicated store: a Raft server (Apache Ratis, over gRPC)
 * whose state machine is an mmkit-kv database. It serves Raft to the other members and requests to
 * {@link KvClient}s on one address; a cluster of N members stays available while a majority of them
 * run and reach each other, and loses no acknowledged write while a majority of their directories
 * survive.
 *
 * <p>Its directory holds {@code kv.db} (the database), {@code raft/} (log, metadata and snapshots,
 * managed by Ratis); directories are created owner-only (0700), and the files in them are the
 * owner's alone (0600) as mmkit-kv and Ratis create them. A directory belongs to one cluster: start
 * refuses one that holds another cluster's data.
 *
 * <p>The JVM should run with {@code --enable-native-access=ALL-UNNAMED} and {@code
 * --sun-misc-unsafe-memory-access=allow}, which keep the netty that Ratis bundles from printing
 * warnings.
 */
public final class Member implements AutoCloseable {
  private final MemberConfig config;
  private final RaftServer server;

  private Member(MemberConfig config, RaftServer server) {
    this.config = config;
    this.server = server;
  }

  /**
   * Starts the member described by {@code config}: opens or creates its directory, replays its log
   * and joins the cluster. Returns once it serves; electing a leader takes an election timeout or
   * two after a majority runs.
   *
   * @throws ClusterException when the directory belongs to another cluster, or the member cannot
   *     start (the port is taken, the directory unwritable)
   */
  public static Member start(MemberConfig config) {
    UUID group = RaftSettings.groupId(config.cluster());
    Path dir = config.dir();
    createPrivateDir(dir);
    refuseForeignGroup(dir.resolve("raft"), group);
    KvStateMachine stateMachine =
        new KvStateMachine(dir.resolve("kv.db"), group, config.requestLimit());
    RaftServer server;
    try {
      server =
          RaftServer.newBuilder()
              .setServerId(RaftPeerId.valueOf(config.id()))
              .setGroup(
                  RaftSettings.group(
                      config.cluster(), config.isJoining() ? List.of() : config.peers()))
              .setProperties(RaftSettings.server(config))
              .setStateMachine(stateMachine)
              .setOption(RaftStorage.StartupOption.RECOVER)
              .build();
      server.start();
    } catch (IOException | RuntimeException e) {
      throw startFailure(config, e);
    }
    return new Member(config, server);
  }

  private static ClusterException startFailure(MemberConfig config, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ClusterException c) {
        return c;
      }
    }
    return new ClusterException(
        "member cannot start: id=" + config.id() + ", dir=" + config.dir() + ", cause=" + e, e);
  }

  private static void createPrivateDir(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new ClusterException("cannot create member directory: dir=" + dir, e);
    }
  }

  /** Refuses a Raft directory that holds the storage of another group than {@code group}. */
  private static void refuseForeignGroup(Path raft, UUID group) {
    if (!Files.isDirectory(raft)) {
      return;
    }
    try (Stream<Path> children = Files.list(raft)) {
      for (Path child : children.toList()) {
        String name = child.getFileName().toString();
        if (Files.isDirectory(child) && isUuid(name) && !name.equals(group.toString())) {
          throw new ClusterException(
              "directory belongs to another cluster: dir="
                  + raft.getParent()
                  + ", group="
                  + name
                  + ", expected="
                  + group);
        }
      }
    } catch (IOException e) {
      throw new ClusterException("cannot read member directory: dir=" + raft, e);
    }
  }

  private static boolean isUuid(String name) {
    try {
      return UUID.fromString(name).toString().equals(name);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Returns this member's configuration. */
  public MemberConfig config() {
    return config;
  }

  /** Stops the member: closes its Raft server and its database. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new ClusterException("member did not close cleanly: id=" + config.id(), e);
    }
  }

  @Override
  public String toString() {
    return "Member[id=" + config.id() + ", address=" + config.self().address() + "]";
  }
}
