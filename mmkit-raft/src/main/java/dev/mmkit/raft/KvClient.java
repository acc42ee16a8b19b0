package dev.mmkit.raft;

import dev.mmkit.core.ClosedException;
import dev.mmkit.kv.KeyRange;
import dev.mmkit.raft.internal.KvStateMachine;
import dev.mmkit.raft.internal.RaftSettings;
import dev.mmkit.raft.internal.Request;
import dev.mmkit.raft.internal.Response;
import dev.mmkit.raft.internal.WireFormat;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.impl.RaftClientImpl;
import org.apache.ratis.client.impl.UnorderedAsync;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.StaleReadException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KvClient reads and writes the replicated store through the members of a cluster. It finds the
 * leader and follows it when it changes (logging one line per change), retries with exponential
 * backoff (50 ms doubling to 1 s) while no leader is elected, and gives up with a {@link
 * ClusterTimeoutException} when a request got no answer within its timeout (10 s by default).
 *
 * <pre>{@code
 * try (KvClient kv = KvClient.connect("n1=10.0.0.1:7001,n2=10.0.0.2:7001,n3=10.0.0.3:7001")) {
 *   BucketPath users = BucketPath.of("users");
 *   kv.createBucket(users);
 *   long revision = kv.put(users, key("alice"), value("admin"));
 *   KeyValue alice = kv.get(users, key("alice"));
 * }
 * }</pre>
 *
 * <p><b>Writes are applied at most once.</b> A write retried after a lost reply or a leader change
 * carries the same client and call id, and the members' retry cache answers it with the first
 * outcome instead of applying it again (for retries within a minute; keep one client per process
 * rather than one per request). A write that timed out may still apply.
 *
 * <p><b>Reads</b> are linearizable unless the call names another {@link ReadMode}.
 *
 * <p>Thread-safe: share one client between threads; each call blocks its thread until answered.
 */
public final class KvClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("dev.mmkit.raft");

  private final RaftClient client;
  private final Duration timeout;
  private final Duration attempt;
  private final int requestLimit;
  private final AtomicReference<String> leader = new AtomicReference<>();

  private KvClient(Builder b) {
    this.timeout = b.timeout;
    this.requestLimit = b.requestLimit;
    this.attempt =
        b.timeout.compareTo(Duration.ofSeconds(3)) < 0 ? b.timeout : Duration.ofSeconds(3);
    this.client =
        RaftClient.newBuilder()
            .setProperties(RaftSettings.client(attempt))
            .setRaftGroup(RaftSettings.group(b.cluster, b.peers))
            .setRetryPolicy(RaftSettings.retryPolicy(b.timeout))
            .build();
  }

  /**
   * Connects to the cluster named {@value MemberConfig#DEFAULT_CLUSTER} at {@code
   * ID=HOST:PORT,...}.
   */
  public static KvClient connect(String addresses) {
    return builder(Peer.parseList(addresses)).build();
  }

  /** Returns a builder for a client of the cluster whose members are {@code peers}. */
  public static Builder builder(List<Peer> peers) {
    return new Builder(peers);
  }

  /** Builder sets a client's cluster name, timeout and request limit. */
  public static final class Builder {
    private final List<Peer> peers;
    private String cluster = MemberConfig.DEFAULT_CLUSTER;
    private Duration timeout = Duration.ofSeconds(10);
    private int requestLimit = MemberConfig.DEFAULT_REQUEST_LIMIT;

    private Builder(List<Peer> peers) {
      if (peers.isEmpty()) {
        throw new IllegalArgumentException("no member address");
      }
      this.peers = List.copyOf(peers);
    }

    /**
     * Sets the cluster name, which must be the members' (default {@value
     * MemberConfig#DEFAULT_CLUSTER}).
     */
    public Builder cluster(String name) {
      this.cluster = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Sets how long a request may wait for an answer, retries included (default 10 s). */
    public Builder timeout(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: timeout=" + value);
      }
      this.timeout = value;
      return this;
    }

    /**
     * Sets the largest request this client sends (default 1 MiB); members refuse requests above
     * their own limit too.
     */
    public Builder requestLimit(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("request limit must be positive: bytes=" + bytes);
      }
      this.requestLimit = bytes;
      return this;
    }

    /** Creates the client; it connects lazily, on the first request. */
    public KvClient build() {
      return new KvClient(this);
    }
  }

  /** Returns the key's entry, or null when absent, read linearizably. */
  public KeyValue get(BucketPath bucket, byte[] key) {
    return get(bucket, key, ReadMode.linearizable());
  }

  /**
   * Returns the key's entry, or null when absent, read as {@code mode} says.
   *
   * @throws UnknownBucketException when the bucket does not exist
   */
  public KeyValue get(BucketPath bucket, byte[] key, ReadMode mode) {
    List<KeyValue> found = values(read(new Request.Get(bucket, key), mode));
    return found.isEmpty() ? null : found.getFirst();
  }

  /** Returns the entries in {@code range}, at most {@code limit} (0: all), read linearizably. */
  public List<KeyValue> scan(BucketPath bucket, KeyRange range, int limit) {
    return scan(bucket, range, limit, ReadMode.linearizable());
  }

  /**
   * Returns the entries in {@code range} in its order, at most {@code limit} of them (0: all), read
   * as {@code mode} says, all from one committed state.
   *
   * @throws UnknownBucketException when the bucket does not exist
   */
  public List<KeyValue> scan(BucketPath bucket, KeyRange range, int limit, ReadMode mode) {
    if (limit < 0) {
      throw new IllegalArgumentException("negative limit: limit=" + limit);
    }
    return values(read(new Request.Scan(bucket, range, limit), mode));
  }

  /** Returns the names of the buckets in {@code bucket}, in key order, read linearizably. */
  public List<byte[]> buckets(BucketPath bucket) {
    return buckets(bucket, ReadMode.linearizable());
  }

  /**
   * Returns the names of the buckets in {@code bucket}, in key order, read as {@code mode} says.
   *
   * @throws UnknownBucketException when the bucket does not exist
   */
  public List<byte[]> buckets(BucketPath bucket, ReadMode mode) {
    return switch (read(new Request.Buckets(bucket), mode)) {
      case Response.Names n -> n.names();
      default -> throw new WireFormatException("reply of another kind to a bucket listing");
    };
  }

  /**
   * Stores {@code value} under {@code key}; returns the write's revision.
   *
   * @throws UnknownBucketException when the bucket does not exist
   */
  public long put(BucketPath bucket, byte[] key, byte[] value) {
    return txn(Write.of(Op.put(bucket, key, value))).revision();
  }

  /** Deletes {@code key} (absent is fine); returns the write's revision. */
  public long delete(BucketPath bucket, byte[] key) {
    return txn(Write.of(Op.delete(bucket, key))).revision();
  }

  /** Creates the bucket unless it exists; its enclosing bucket must exist. Returns the revision. */
  public long createBucket(BucketPath bucket) {
    return txn(Write.of(Op.createBucket(bucket))).revision();
  }

  /** Deletes the bucket and all it holds, when it exists. Returns the revision. */
  public long deleteBucket(BucketPath bucket) {
    return txn(Write.of(Op.deleteBucket(bucket))).revision();
  }

  /**
   * Applies {@code write}: its conditions and the branch they choose, as one transaction.
   *
   * @throws RequestTooLargeException when the encoded write passes the request limit
   * @throws UnknownBucketException when a change names a missing bucket; nothing was written
   * @throws ClusterTimeoutException when no answer came within the timeout; the outcome is unknown
   */
  public WriteResult txn(Write write) {
    Response r = decode(call(message(new Request.Update(write)), Target.WRITE, null, 0), true);
    if (r instanceof Response.Written w) {
      return new WriteResult(w.succeeded(), w.revision());
    }
    throw new WireFormatException("reply of another kind to a write");
  }

  /** Returns the member that answered the last write or linearizable read, or null before one. */
  public String leader() {
    return leader.get();
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      throw new ClusterException("client did not close cleanly", e);
    }
  }

  private enum Target {
    WRITE,
    LINEARIZABLE,
    LEADER,
    FOLLOWER
  }

  private Response read(Request request, ReadMode mode) {
    Message message = message(request);
    return switch (mode.kind()) {
      case LINEARIZABLE -> decode(call(message, Target.LINEARIZABLE, null, 0), true);
      case LEADER -> decode(call(message, Target.LEADER, null, 0), true);
      case FOLLOWER -> followerRead(message, mode);
    };
  }

  /** Reads from one member, retrying with backoff while it has not applied the revision asked. */
  private Response followerRead(Message message, ReadMode mode) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 5;
    while (true) {
      String behind;
      try {
        Response r =
            decode(call(message, Target.FOLLOWER, mode.member(), mode.minRevision()), false);
        if (!(r instanceof Response.Failed f) || f.error() != Response.Error.STALE) {
          return check(r);
        }
        behind = f.message();
      } catch (ClusterException e) {
        if (!isStaleRead(e)) {
          throw e;
        }
        behind = "member has not committed the revision";
      }
      if (System.nanoTime() + pause * 1_000_000 > deadline) {
        throw new ClusterTimeoutException(
            "member did not catch up: "
                + behind
                + ", member="
                + mode.member()
                + ", timeout="
                + timeout,
            null);
      }
      sleep(pause);
      pause = Math.min(pause * 2, 200);
    }
  }

  /** Returns whether Ratis refused a follower read because the member lags its commit index. */
  private static boolean isStaleRead(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StaleReadException
          || String.valueOf(t.getMessage()).contains(StaleReadException.class.getSimpleName())) {
        return true;
      }
    }
    return false;
  }

  private RaftClientReply call(Message message, Target target, String member, long minIndex) {
    RaftClientReply reply;
    try {
      reply =
          switch (target) {
            case WRITE -> await(write(message));
            case LINEARIZABLE -> client.io().sendReadOnly(message);
            case LEADER -> client.io().sendReadOnlyNonLinearizable(message);
            case FOLLOWER ->
                client.io().sendStaleRead(message, minIndex, RaftPeerId.valueOf(member));
          };
    } catch (IOException e) {
      throw failure(e);
    }
    if (!reply.isSuccess()) {
      throw failure(reply.getException());
    }
    if (target != Target.FOLLOWER) {
      noteLeader(reply.getServerId().toString());
    }
    return reply;
  }

  /**
   * Sends a write on the client's one long-lived request stream to the leader, with the client's
   * retry policy (the same call id on every attempt, so the retry cache answers a retry).
   *
   * <p>The blocking API would open a new gRPC call per request: HTTP/2 headers both ways, a stream
   * set up and torn down, on the client and on the leader. With many writes in flight that was as
   * much processor time as the rest of a write, on a machine whose processors the members share.
   * Ratis's public asynchronous API keeps one stream but orders the requests of a client and logs
   * every refused one as an error; the unordered stream it uses for reads serves writes as well.
   */
  private CompletableFuture<RaftClientReply> write(Message message) {
    return UnorderedAsync.send(
        RaftClientRequest.writeRequestType(), message, null, (RaftClientImpl) client);
  }

  /**
   * Waits for {@code reply}. The retry policy gives up after the timeout; the wait allows one
   * attempt more before it gives up itself, so a reply lost by Ratis cannot hang the caller.
   */
  private RaftClientReply await(CompletableFuture<RaftClientReply> reply) throws IOException {
    try {
      return reply.get(timeout.plus(attempt).plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the cluster");
    } catch (TimeoutException e) {
      throw new InterruptedIOException("no answer: timeout=" + timeout);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new ClusterException("request failed", cause);
    }
  }

  private void noteLeader(String now) {
    String before = leader.getAndSet(now);
    if (before != null && !before.equals(now)) {
      LOG.info("leader changed: from={}, to={}", before, now);
    }
  }

  private RuntimeException failure(Exception e) {
    if (e instanceof StateMachineException
        && String.valueOf(e.getMessage()).contains(KvStateMachine.tooLargeMessage())) {
      String m = e.getMessage();
      return new RequestTooLargeException(m.substring(m.indexOf(KvStateMachine.tooLargeMessage())));
    }
    if (e instanceof RaftRetryFailureException || e instanceof InterruptedIOException) {
      return new ClusterTimeoutException(
          "no answer from the cluster: timeout=" + timeout + ", leader=" + leader.get(), e);
    }
    if (e instanceof AlreadyClosedException) {
      return new ClosedException("client is closed", e);
    }
    if (e instanceof GroupMismatchException) {
      return new ClusterException("members serve another cluster: " + e.getMessage(), e);
    }
    if (e instanceof RaftException || e instanceof IOException) {
      return new ClusterException("request failed: " + e, e);
    }
    return new ClusterException("request failed", e);
  }

  private Message message(Request request) {
    byte[] bytes = WireFormat.encode(request);
    if (bytes.length > requestLimit) {
      throw new RequestTooLargeException(
          "request too large: size=" + bytes.length + ", limit=" + requestLimit);
    }
    return Message.valueOf(ByteString.copyFrom(bytes));
  }

  private static Response decode(RaftClientReply reply, boolean failOnError) {
    Response r = WireFormat.decodeResponse(reply.getMessage().getContent().asReadOnlyByteBuffer());
    return failOnError ? check(r) : r;
  }

  private static Response check(Response r) {
    if (r instanceof Response.Failed f) {
      throw switch (f.error()) {
        case UNKNOWN_BUCKET -> new UnknownBucketException(f.message());
        case REJECTED, STALE -> new ClusterException("request refused: " + f.message());
      };
    }
    return r;
  }

  private static List<KeyValue> values(Response r) {
    if (r instanceof Response.Values v) {
      return v.entries();
    }
    throw new WireFormatException("reply of another kind to a read");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterTimeoutException("interrupted while waiting for a member", e);
    }
  }
}
