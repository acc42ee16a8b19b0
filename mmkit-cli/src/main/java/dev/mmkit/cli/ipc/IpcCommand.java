package dev.mmkit.cli.ipc;

import dev.mmkit.core.SharedMemory;
import dev.mmkit.ipc.ChannelOptions;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * IpcCommand groups the verbs that move bytes between processes through mmkit channels: {@code
 * send}, {@code recv} and {@code bench}.
 */
@Command(
    name = "ipc",
    mixinStandardHelpOptions = true,
    description =
        "Pipe bytes between processes through shared-memory channels, and benchmark them.",
    subcommands = {
      IpcSendCommand.class,
      IpcRecvCommand.class,
      IpcBenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class IpcCommand implements Runnable {
  /** Ring capacity of the channels {@code send} and {@code recv} create: 4 MiB. */
  static final long STREAM_CAPACITY = 4L << 20;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Returns {@code name} as a path: as given when it has a slash, under /dev/shm otherwise. */
  static Path channelPath(String name) {
    return name.contains("/") ? Path.of(name) : SharedMemory.pathOf(name);
  }

  /** Returns the options {@code send} and {@code recv} create stream channels with. */
  static ChannelOptions streamOptions() {
    return ChannelOptions.defaults().withCapacity(STREAM_CAPACITY);
  }
}
