package dev.mmkit.raft.internal;

import dev.mmkit.raft.ClusterException;
import dev.mmkit.raft.WireFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KvStateMachine is the replicated store as Raft sees it: each log entry is one {@link
 * Request.Update}, applied to the member's {@link ReplicaStore} in a transaction that also records
 * the entry; reads are answered from the store.
 *
 * <p><b>Group commit.</b> Entries are applied by an {@link Applier} on a thread of its own, all the
 * committed entries waiting in one transaction, and each is answered once that transaction has
 * committed. Raft learns that an entry is applied only from its answer (reads that wait for an
 * index wait for it), and {@link #getLastAppliedTermIndex()} moves after each commit. An entry
 * without a write for the store (a configuration change) waits until the entries before it are
 * committed, so that Raft never counts an index as applied before the entries below it.
 *
 * <p><b>Restart.</b> Raft replays the log from the latest snapshot's index, not from the last entry
 * applied. The store records the last entry it applied in the same commit as the entry's changes,
 * so replayed entries at or below it are skipped: none is applied twice. A store behind the latest
 * snapshot (or missing, or unreadable) is first replaced by a copy of that snapshot.
 *
 * <p><b>Durability.</b> The store applies with {@code Durability.NO_SYNC}: an entry is on a
 * majority's flushed Raft log before it is applied, so the store need not flush; snapshots are
 * flushed, because the log before them is purged.
 *
 * <p>{@link #getLastAppliedTermIndex()} follows what Raft handed over (skipped entries included),
 * so it never runs ahead of Raft's own count; the store's record may, right after a restart.
 */
public final class KvStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger("dev.mmkit.raft");
  private static final String TOO_LARGE = "request too large";

  private final Path file;
  private final UUID group;
  private final int requestLimit;
  private final Snapshots snapshots = new Snapshots();
  private volatile ReplicaStore store;
  private volatile Applier applier;

  /**
   * Creates the state machine of a member whose database is {@code file}.
   *
   * @param file the database file, outside Raft's storage directory
   * @param group the Raft group id of the cluster, recorded in the database
   * @param requestLimit the largest request accepted, in bytes
   */
  public KvStateMachine(Path file, UUID group, int requestLimit) {
    this.file = file;
    this.group = group;
    this.requestLimit = requestLimit;
  }

  /** Returns the message a member's refusal of an oversized request starts with. */
  public static String tooLargeMessage() {
    return TOO_LARGE;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    snapshots.init(raftStorage);
    getLifeCycle().startAndTransition(this::load, ClusterException.class);
  }

  private void load() throws IOException {
    ReplicaStore opened = ReplicaStore.open(file, group);
    SingleFileSnapshotInfo latest = snapshots.latest();
    if (latest != null && opened.applied().index() < latest.getIndex()) {
      opened.replaceWith(latest.getFile().getPath(), Snapshots.heldBy(latest));
    }
    store = opened;
    setLastAppliedTermIndex(latest == null ? TermIndex.INITIAL_VALUE : latest.getTermIndex());
    applier =
        new Applier(
            opened, "mmkit-raft-apply", this::updateLastAppliedTermIndex, this::stopOnFailure);
  }

  /** Closes this member's Raft server after the applier failed: it cannot apply any further. */
  private void stopOnFailure() {
    Thread.ofPlatform()
        .name("mmkit-raft-stop")
        .daemon()
        .start(
            () -> {
              try {
                getServer().join().getDivision(getGroupId()).close();
              } catch (IOException | RuntimeException e) {
                LOG.error("mmkit-raft: member did not stop after the failure", e);
              }
            });
  }

  @Override
  public void pause() {
    // Raft checks that the state machine is paused before it reloads an installed snapshot.
    LifeCycle life = getLifeCycle();
    if (life.getCurrentState() == LifeCycle.State.RUNNING) {
      life.transition(LifeCycle.State.PAUSING);
      life.transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public void reinitialize() throws IOException {
    applier.drain();
    SingleFileSnapshotInfo installed = snapshots.reload();
    LifeCycle life = getLifeCycle();
    life.transition(LifeCycle.State.STARTING);
    if (installed != null && store.applied().index() < installed.getIndex()) {
      store.replaceWith(installed.getFile().getPath(), Snapshots.heldBy(installed));
    }
    if (installed != null) {
      setLastAppliedTermIndex(installed.getTermIndex());
    }
    life.transition(LifeCycle.State.RUNNING);
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return snapshots.storage();
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return snapshots.latest();
  }

  @Override
  public long takeSnapshot() throws IOException {
    applier.drain();
    return snapshots.take(store, getLastAppliedTermIndex());
  }

  /**
   * Counts an entry that carries no write (a configuration change) as applied, once the entries
   * before it are committed.
   */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    applier.drain();
    super.notifyTermIndexUpdated(term, index);
  }

  /**
   * Admits a write into the log, or refuses it (too large, undecodable) through the transaction's
   * exception: Ratis then answers the client with it. Throwing instead would leave the request's
   * retry-cache entry pending forever, and every retry of it waiting on that entry.
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    TransactionContext trx = super.startTransaction(request);
    ByteString content = request.getMessage().getContent();
    if (content.size() > requestLimit) {
      return trx.setException(
          new IOException(TOO_LARGE + ": size=" + content.size() + ", limit=" + requestLimit));
    }
    try {
      if (!(WireFormat.decodeRequest(content.asReadOnlyByteBuffer()) instanceof Request.Update)) {
        return trx.setException(new IOException("not a write"));
      }
    } catch (WireFormatException e) {
      return trx.setException(new IOException(e.getMessage()));
    }
    return trx;
  }

  /** Hands the entry to the applier; the answer completes once it is committed. */
  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    ByteString data = entry.getStateMachineLogEntry().getLogData();
    return applier
        .submit(entry(entry.getTerm(), entry.getIndex(), data), data.size())
        .thenApply(KvStateMachine::message);
  }

  private static ReplicaStore.Entry entry(long term, long index, ByteString data) {
    Request request;
    try {
      request = WireFormat.decodeRequest(data.asReadOnlyByteBuffer());
    } catch (WireFormatException e) {
      return new ReplicaStore.Entry(
          term, index, null, new Response.Failed(Response.Error.REJECTED, e.getMessage()));
    }
    if (request instanceof Request.Update update) {
      return new ReplicaStore.Entry(term, index, update, null);
    }
    return new ReplicaStore.Entry(
        term,
        index,
        null,
        new Response.Failed(Response.Error.REJECTED, "not a write: revision=" + index));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      Request decoded = WireFormat.decodeRequest(request.getContent().asReadOnlyByteBuffer());
      return CompletableFuture.completedFuture(message(store.read(decoded)));
    } catch (WireFormatException e) {
      return CompletableFuture.completedFuture(
          message(new Response.Failed(Response.Error.REJECTED, e.getMessage())));
    }
  }

  /**
   * Answers a follower read at once: with the store's state when it applied {@code minIndex}, or
   * with a stale answer the client retries (Raft's own version waits, possibly forever).
   */
  @Override
  public CompletableFuture<Message> queryStale(Message request, long minIndex) {
    long applied = store.applied().index();
    if (applied < minIndex) {
      return CompletableFuture.completedFuture(
          message(
              new Response.Failed(
                  Response.Error.STALE,
                  "member behind: applied=" + applied + ", minRevision=" + minIndex)));
    }
    return query(request);
  }

  @Override
  public void close() {
    getLifeCycle()
        .checkStateAndClose(
            () -> {
              if (applier != null) {
                applier.close();
              }
              if (store != null) {
                store.close();
              }
            });
  }

  private static Message message(Response response) {
    return Message.valueOf(ByteString.copyFrom(WireFormat.encode(response)));
  }
}
