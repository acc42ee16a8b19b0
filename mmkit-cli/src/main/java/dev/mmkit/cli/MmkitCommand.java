package dev.mmkit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** MmkitCommand is the top of the {@code mmkit} command: global options and the list of verbs. */
@Command(
    name = "mmkit",
    mixinStandardHelpOptions = true,
    versionProvider = MmkitCommand.Version.class,
    description =
        "Safe memory mapping for the JVM: mappings, shared memory, IPC and a key-value store,"
            + " replicated under Raft when one machine is not enough.",
    subcommands = {
      TourCommand.class,
      ResidencyCommand.class,
      dev.mmkit.cli.ipc.IpcCommand.class,
      dev.mmkit.cli.kv.KvCommand.class,
      dev.mmkit.cli.cluster.ClusterCommand.class,
      dev.mmkit.cli.bench.BenchCommand.class,
      CommandLine.HelpCommand.class
    })
final class MmkitCommand implements Runnable {

  @Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print the stack trace of an error.")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static boolean debug(CommandLine commandLine) {
    CommandLine root = commandLine;
    while (root.getParent() != null) {
      root = root.getParent();
    }
    return root.<MmkitCommand>getCommand().debug;
  }

  /** Version reads the version Maven stamped into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = MmkitCommand.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {
        "mmkit " + properties.getProperty("version", "unknown"),
        "JVM " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
      };
    }
  }
}
