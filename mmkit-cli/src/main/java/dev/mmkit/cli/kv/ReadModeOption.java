package dev.mmkit.cli.kv;

import dev.mmkit.cli.Usage;
import dev.mmkit.raft.Peer;
import dev.mmkit.raft.ReadMode;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * ReadModeOption is the {@code --read-mode} option of the verbs that read: what a read of a cluster
 * promises ({@link ReadMode}). It does not apply to a database file, which has one state.
 */
public final class ReadModeOption {
  @Option(
      names = "--read-mode",
      paramLabel = "MODE",
      description =
          "With --cluster: linearizable (default; sees every acknowledged write), leader (the"
              + " leader's state, unconfirmed), follower (the first member listed, however far behind)"
              + " or follower:ID.")
  String mode = "linearizable";

  /** Returns the read mode asked for, or throws a usage error of {@code spec}. */
  ReadMode resolve(CommandSpec spec, List<Peer> peers) {
    if (mode.equals("linearizable")) {
      return ReadMode.linearizable();
    }
    if (mode.equals("leader")) {
      return ReadMode.leader();
    }
    if (mode.equals("follower")) {
      return ReadMode.follower(peers.getFirst().id(), 0);
    }
    String id = mode.startsWith("follower:") ? mode.substring("follower:".length()) : null;
    if (id == null) {
      throw Usage.wrong(
          spec, "--read-mode is linearizable, leader, follower or follower:ID: mode=" + mode);
    }
    if (peers.stream().noneMatch(p -> p.id().equals(id))) {
      throw Usage.wrong(spec, "--read-mode names no member of --cluster: member=" + id);
    }
    return ReadMode.follower(id, 0);
  }
}
