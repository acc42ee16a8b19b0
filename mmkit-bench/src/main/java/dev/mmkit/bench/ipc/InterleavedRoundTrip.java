package dev.mmkit.bench.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * InterleavedRoundTrip measures the round trip of mmkit's channel, Agrona's ring buffer and a
 * {@link MailboxTransport} (a reference: one fixed slot per direction, no ring) in one pair of
 * processes, in rotating blocks, so that all three see the same machine load. On a shared 2-vCPU
 * machine, separate JMH runs moved by 2-10x between runs; blocks of a few milliseconds each,
 * interleaved, give ratios that hold from block to block.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED
 * --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp
 * 'mmkit-bench/target/classes:mmkit-bench/target/lib/*' dev.mmkit.bench.ipc.InterleavedRoundTrip
 * SIZE BLOCK BLOCKS} (for example {@code 32 10000 40}). Both processes busy-spin; the first 20
 * blocks of each are warm-up. It prints percentiles of all measured round trips per transport, the
 * median and minimum of the per-block medians, in how many blocks mmkit's median was no higher than
 * Agrona's, and both rings' p50 against the mailbox's.
 */
public final class InterleavedRoundTrip {
  private static final int WARMUP_BLOCKS = 20;
  private static final List<String> NAMES = List.of("mmkit", "agrona", "mailbox");

  private InterleavedRoundTrip() {}

  /** Runs the measurement, or with {@code peer DIR SIZE BLOCK BLOCKS} the echoing peer. */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args[0].equals("peer")) {
      echo(
          Path.of(args[1]),
          Integer.parseInt(args[2]),
          Integer.parseInt(args[3]),
          Integer.parseInt(args[4]));
      return;
    }
    int size = Integer.parseInt(args[0]);
    int block = Integer.parseInt(args[1]);
    int blocks = Integer.parseInt(args[2]);
    Path directory = Files.createTempDirectory(Path.of("/dev/shm"), "mmkit-interleaved-");
    IpcTransport[] transports = {
      MmkitChannelTransport.create(directory),
      AgronaTransport.create(directory),
      MailboxTransport.create(directory)
    };
    Process peer = startPeer(directory, size, block, blocks + WARMUP_BLOCKS);
    try {
      int n = transports.length;
      long[][] nanos = new long[n][block * blocks];
      double[][] blockMedians = new double[n][blocks];
      long[] run = new long[block];
      ByteBuffer message = ByteBuffer.allocateDirect(size);
      ByteBuffer reply = ByteBuffer.allocateDirect(size);
      for (int b = 0; b < blocks + WARMUP_BLOCKS; b++) {
        for (int k = 0; k < n; k++) {
          int t = (b + k) % n; // rotate which transport goes first
          for (int i = 0; i < block; i++) {
            long start = System.nanoTime();
            message.clear();
            transports[t].send(message);
            reply.clear();
            transports[t].receive(reply);
            run[i] = System.nanoTime() - start;
          }
          if (b >= WARMUP_BLOCKS) {
            System.arraycopy(run, 0, nanos[t], (b - WARMUP_BLOCKS) * block, block);
            long[] sorted = run.clone();
            Arrays.sort(sorted);
            blockMedians[t][b - WARMUP_BLOCKS] = sorted[block / 2] / 1000.0;
          }
        }
      }
      report(size, nanos, blockMedians);
    } finally {
      peer.destroy();
      for (IpcTransport transport : transports) {
        transport.close();
      }
      IpcTransports.deleteDirectory(directory);
    }
  }

  private static Process startPeer(Path directory, int size, int block, int blocks)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process peer =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                InterleavedRoundTrip.class.getName(),
                "peer",
                directory.toString(),
                Integer.toString(size),
                Integer.toString(block),
                Integer.toString(blocks))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
    if (!"ready".equals(out.readLine())) {
      throw new IOException("peer did not start");
    }
    return peer;
  }

  private static void report(int size, long[][] nanos, double[][] blockMedians) {
    double[] medians = new double[nanos.length];
    for (int t = 0; t < nanos.length; t++) {
      long[] all = nanos[t];
      Arrays.sort(all);
      double[] perBlock = blockMedians[t].clone();
      Arrays.sort(perBlock);
      medians[t] = all[all.length / 2] / 1000.0;
      System.out.printf(
          "%-6s size=%d round trips=%d p50=%.3f p90=%.3f p99=%.3f us; block medians: median=%.3f"
              + " min=%.3f us%n",
          NAMES.get(t),
          size,
          all.length,
          medians[t],
          all[(int) (all.length * 0.9)] / 1000.0,
          all[(int) (all.length * 0.99)] / 1000.0,
          perBlock[perBlock.length / 2],
          perBlock[0]);
    }
    int wins = 0;
    for (int b = 0; b < blockMedians[0].length; b++) {
      if (blockMedians[0][b] <= blockMedians[1][b]) {
        wins++;
      }
    }
    System.out.printf(
        "size=%d mmkit/agrona p50=%.2fx; mmkit's block median no higher than Agrona's in %d of %d"
            + " blocks%n",
        size, medians[0] / medians[1], wins, blockMedians[0].length);
    System.out.printf(
        "size=%d against a mailbox (one fixed slot per direction, no ring): mmkit %.2fx, agrona"
            + " %.2fx%n",
        size, medians[0] / medians[2], medians[1] / medians[2]);
  }

  private static void echo(Path directory, int size, int block, int blocks)
      throws IOException, InterruptedException {
    IpcTransport[] transports = {
      MmkitChannelTransport.open(directory),
      AgronaTransport.open(directory),
      MailboxTransport.open(directory)
    };
    System.out.println("ready");
    System.out.flush();
    ByteBuffer message = ByteBuffer.allocateDirect(size);
    try {
      for (int b = 0; b < blocks; b++) {
        for (int k = 0; k < transports.length; k++) {
          IpcTransport transport = transports[(b + k) % transports.length];
          for (int i = 0; i < block; i++) {
            message.clear().limit(size);
            transport.receive(message);
            message.flip();
            transport.send(message);
          }
        }
      }
    } catch (IOException e) {
      System.err.println("peer: " + e.getMessage());
    }
    Thread.sleep(1000);
    System.exit(0);
  }
}
