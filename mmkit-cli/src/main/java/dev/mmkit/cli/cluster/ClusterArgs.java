package dev.mmkit.cli.cluster;

import dev.mmkit.cli.Usage;
import dev.mmkit.raft.Peer;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * ClusterArgs reads the arguments every verb that talks to a cluster takes: a member list {@code
 * ID=HOST:PORT,...} ({@code --cluster}, {@code --peers}) and a timeout in seconds. Wrong ones are
 * usage errors that say what is wrong.
 */
public final class ClusterArgs {
  private ClusterArgs() {}

  /** Returns the members listed in {@code text}, or throws a usage error of {@code spec}. */
  public static List<Peer> peers(CommandSpec spec, String text) {
    try {
      return Peer.parseList(text);
    } catch (IllegalArgumentException e) {
      throw Usage.wrong(spec, e.getMessage());
    }
  }

  /** Returns {@code seconds} as a duration, or throws a usage error when it is out of range. */
  public static Duration timeout(CommandSpec spec, double seconds) {
    if (!(seconds > 0) || seconds > 86_400) {
      throw Usage.wrong(spec, "--timeout is 0 to 86400 seconds, 0 excluded: timeout=" + seconds);
    }
    return Duration.ofNanos((long) (seconds * 1e9));
  }
}
