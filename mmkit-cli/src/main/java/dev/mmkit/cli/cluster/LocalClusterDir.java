package dev.mmkit.cli.cluster;

import dev.mmkit.raft.Peer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * LocalClusterDir is the directory of a cluster that {@code mmkit cluster up} runs on one machine.
 * Everything in it is the owner's alone (directories 0700, files 0600).
 *
 * <pre>
 * DIR/
 * ├── addresses          ID=HOST:PORT,... of every member: the --cluster argument
 * └── n1/ ... nN/        one member's directory (kv serve --dir)
 *     ├── member.pid     the member process's id, while cluster up started it and down did not stop it
 *     ├── member.log     its standard output and error
 *     └── kv.db, raft/   its data
 * </pre>
 */
public final class LocalClusterDir {
  private static final FileAttribute<?> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final Path dir;

  /** Returns the cluster directory at {@code dir} (nothing is created until a member is). */
  public LocalClusterDir(Path dir) {
    this.dir = dir.toAbsolutePath();
  }

  /** Returns the directory. */
  Path path() {
    return dir;
  }

  /** Returns member {@code id}'s directory. */
  Path memberDir(String id) {
    return dir.resolve(id);
  }

  /** Returns the file member {@code id}'s output goes to. */
  Path log(String id) {
    return memberDir(id).resolve("member.log");
  }

  /** Creates member {@code id}'s log file, owner-only, when missing, and returns it. */
  Path createLog(String id) throws IOException {
    Path log = log(id);
    if (!Files.exists(log)) {
      Files.createFile(log, OWNER_ONLY);
    }
    return log;
  }

  private Path pidFile(String id) {
    return memberDir(id).resolve("member.pid");
  }

  private Path addressesFile() {
    return dir.resolve("addresses");
  }

  /** Creates the directory and member {@code id}'s, owner-only, when missing. */
  void createMemberDir(String id) throws IOException {
    createPrivate(dir);
    createPrivate(memberDir(id));
  }

  private static void createPrivate(Path d) throws IOException {
    if (!Files.isDirectory(d)) {
      Files.createDirectories(d);
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** Returns the members recorded by an earlier {@code cluster up}, if any. */
  Optional<List<Peer>> addresses() throws IOException {
    Path file = addressesFile();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(Peer.parseList(Files.readString(file, StandardCharsets.UTF_8).strip()));
  }

  /** Records the members, as {@code --cluster} takes them. */
  void writeAddresses(List<Peer> peers) throws IOException {
    writePrivate(
        addressesFile(), peers.stream().map(Peer::toString).collect(Collectors.joining(",")));
  }

  /** Records the process id of member {@code id}. */
  void writePid(String id, long pid) throws IOException {
    writePrivate(pidFile(id), Long.toString(pid));
  }

  /** Returns the recorded process id of member {@code id}, if any. */
  OptionalLong pid(String id) throws IOException {
    Path file = pidFile(id);
    if (!Files.exists(file)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip()));
  }

  /** Forgets the process id of member {@code id}. */
  void deletePid(String id) throws IOException {
    Files.deleteIfExists(pidFile(id));
  }

  /**
   * Returns the running process of member {@code id}: the recorded one, if it is alive and still a
   * member serving this directory (a process id can be reused).
   */
  public Optional<ProcessHandle> process(String id) throws IOException {
    OptionalLong pid = pid(id);
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    String memberDir = memberDir(id).toString();
    return ProcessHandle.of(pid.getAsLong())
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(memberDir)).orElse(false));
  }

  /** Creates or replaces {@code file} with {@code text}, readable by the owner alone. */
  private static void writePrivate(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, OWNER_ONLY);
    Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
  }
}
