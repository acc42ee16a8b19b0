package dev.mmkit.raft.internal;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;

/**
 * Snapshots keeps a member's snapshots: flushed copies of its database, one file each, named {@code
 * snapshot.TERM_INDEX} after the last log entry they hold, with an MD5 file beside each (Raft's
 * snapshot install checks it). They live in the Raft group's state machine directory, which a
 * snapshot install from the leader replaces whole.
 */
final class Snapshots {
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

  /**
   * Whether the directory was found to hold no snapshot, until one is taken or installed. Raft asks
   * for the latest snapshot several times per write, and Ratis's storage reads the directory each
   * time it has none to remember.
   */
  private volatile boolean none;

  /** Finds the snapshots in {@code raftStorage}. */
  void init(RaftStorage raftStorage) throws IOException {
    storage.init(raftStorage);
  }

  /** Returns the storage Raft asks for snapshots. */
  SimpleStateMachineStorage storage() {
    return storage;
  }

  /** Returns the newest snapshot known, or null; cached, see {@link #reload()}. */
  SingleFileSnapshotInfo latest() {
    if (none) {
      return null;
    }
    SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
    none = latest == null;
    return latest;
  }

  /** Reads the directory again (after an install replaced it) and returns the newest snapshot. */
  SingleFileSnapshotInfo reload() {
    SingleFileSnapshotInfo latest = storage.loadLatestSnapshot();
    none = latest == null;
    return latest;
  }

  /**
   * Takes a snapshot of {@code store} unless the newest one already holds what it applied; returns
   * the index of the newest snapshot afterwards, or -1 when there is none.
   *
   * @param ratisApplied the last entry Raft handed to the state machine; a database ahead of it
   *     (still skipping entries it holds after a restart) is not snapshotted yet
   */
  long take(ReplicaStore store, TermIndex ratisApplied) throws IOException {
    StoreLayout.Applied applied = store.applied();
    SingleFileSnapshotInfo latest = latest();
    long latestIndex = latest == null ? -1 : latest.getIndex();
    if (applied.index() <= latestIndex || applied.index() > ratisApplied.getIndex()) {
      return latestIndex;
    }
    File target = storage.getSnapshotFile(applied.term(), applied.index());
    Path partial = target.toPath().resolveSibling(target.getName() + ".partial");
    Files.deleteIfExists(partial);
    store.copyTo(partial);
    Files.move(partial, target.toPath(), StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel directory = FileChannel.open(target.toPath().getParent())) {
      directory.force(true); // the rename survives a machine crash too
    }
    FileInfo info = new FileInfo(target.toPath(), MD5FileUtil.computeAndSaveMd5ForFile(target));
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(info, applied.term(), applied.index()));
    none = false;
    return applied.index();
  }

  /** Returns the entry a snapshot holds, as its name says. */
  static StoreLayout.Applied heldBy(SingleFileSnapshotInfo snapshot) {
    return new StoreLayout.Applied(snapshot.getTerm(), snapshot.getIndex());
  }
}
