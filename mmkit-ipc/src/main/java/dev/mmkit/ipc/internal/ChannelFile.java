package dev.mmkit.ipc.internal;

import static dev.mmkit.ipc.ChannelLayout.ATTACH_COUNT_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.CAPACITY_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.CHECKSUMMED_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.CONSUMER_CLOSED;
import static dev.mmkit.ipc.ChannelLayout.CONSUMER_TOKEN_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.CREATOR_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.FILE_LENGTH_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.HEADER_CHECKSUM_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.HEADER_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.HEADER_LENGTH_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.HEAD_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.KIND_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.MAGIC;
import static dev.mmkit.ipc.ChannelLayout.MAGIC_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.MAX_CAPACITY;
import static dev.mmkit.ipc.ChannelLayout.MAX_MESSAGE_LIMIT;
import static dev.mmkit.ipc.ChannelLayout.MAX_MESSAGE_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.MAX_RECORD_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.MIN_CAPACITY;
import static dev.mmkit.ipc.ChannelLayout.SLEEPERS_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.SLOT_CLAIM_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.SLOT_CLAIM_POSITION;
import static dev.mmkit.ipc.ChannelLayout.SLOT_COUNT;
import static dev.mmkit.ipc.ChannelLayout.SLOT_COUNT_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.SLOT_TOKEN;
import static dev.mmkit.ipc.ChannelLayout.STATE_FRESH;
import static dev.mmkit.ipc.ChannelLayout.STATE_INITIALISING;
import static dev.mmkit.ipc.ChannelLayout.STATE_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.STATE_READY;
import static dev.mmkit.ipc.ChannelLayout.VERSION;
import static dev.mmkit.ipc.ChannelLayout.VERSION_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.maxRecordLength;
import static dev.mmkit.ipc.ChannelLayout.slotOffset;

import dev.mmkit.core.ClosedException;
import dev.mmkit.core.CorruptException;
import dev.mmkit.core.FullException;
import dev.mmkit.core.Futex;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.MmkitException;
import dev.mmkit.core.ProcessIdentity;
import dev.mmkit.core.SharedMemory;
import dev.mmkit.core.TimedOutException;
import dev.mmkit.core.TruncatedException;
import dev.mmkit.ipc.ChannelKind;
import dev.mmkit.ipc.ChannelOptions;
import dev.mmkit.ipc.ConsumerState;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * ChannelFile is one process's view of a channel file: it creates or attaches to it, validates the
 * header before trusting anything in it, and gives the senders and receivers raw, fence-free access
 * to the shared words. Raw access does not surface truncation faults by itself: callers run {@link
 * #fence()} once per batch and turn a caught {@link InternalError} into an exception with {@link
 * #fault}.
 */
public final class ChannelFile implements AutoCloseable {
  static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
  static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
  private static final Duration INIT_PATIENCE = Duration.ofSeconds(5);

  private final SharedMemory memory;
  private final Mapping mapping;
  private final MemorySegment header;
  private final MemorySegment ring;
  private final ChannelKind kind;
  private final long capacity;
  private final int maxRecord;
  private final int maxMessage;
  private final ChannelOptions options;

  private ChannelFile(SharedMemory memory, ChannelKind kind, ChannelOptions options) {
    this.memory = memory;
    this.mapping = memory.mapping();
    this.header = mapping.segment();
    this.kind = kind;
    this.options = options;
    this.capacity = getLong(CAPACITY_OFFSET);
    this.maxRecord = getInt(MAX_RECORD_OFFSET);
    this.maxMessage = getInt(MAX_MESSAGE_OFFSET);
    this.ring = header.asSlice(HEADER_LENGTH, capacity);
  }

  /**
   * Opens the channel at {@code path}, creating it with {@code options} when it does not exist. A
   * process that finds a channel being initialised by another waits for it; a channel that is ready
   * is never initialised again.
   *
   * @throws CorruptException when the file is not a valid channel of {@code kind}
   */
  public static ChannelFile open(Path path, ChannelKind kind, ChannelOptions options) {
    SharedMemory memory = SharedMemory.openOrCreate(path, HEADER_LENGTH + options.capacity());
    try {
      initialiseOrAwait(memory, kind, options);
      validate(memory, kind);
      return new ChannelFile(memory, kind, options);
    } catch (RuntimeException | Error e) {
      memory.close();
      throw e;
    }
  }

  /**
   * Opens the channel at {@code path} like {@link #open} and returns what {@code attach} makes of
   * it (a sender or a receiver); closes the file again when {@code attach} fails.
   *
   * @throws CorruptException when the file is not a valid channel of {@code kind}
   */
  public static <T> T attach(
      Path path, ChannelKind kind, ChannelOptions options, Function<ChannelFile, T> attach) {
    ChannelFile file = open(path, kind, options);
    try {
      return attach.apply(file);
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /**
   * Opens the existing channel at {@code path}, of whatever kind its header says, without creating
   * or attaching anything.
   *
   * @throws CorruptException when the file is not a valid channel
   */
  public static ChannelFile openExisting(Path path) {
    SharedMemory memory = SharedMemory.open(path);
    try {
      Mapping m = memory.mapping();
      checkSize(memory);
      ChannelKind kind = ChannelKind.of(m.getInt(KIND_OFFSET));
      if (kind == null) {
        throw corrupt(path, "not a channel file (unknown kind)", "kind=" + m.getInt(KIND_OFFSET));
      }
      validate(memory, kind);
      return new ChannelFile(memory, kind, ChannelOptions.defaults());
    } catch (RuntimeException | Error e) {
      memory.close();
      throw e;
    }
  }

  private static void initialiseOrAwait(SharedMemory memory, ChannelKind kind, ChannelOptions o) {
    Mapping m = memory.mapping();
    checkSize(memory);
    if (m.atomics().compareAndSetInt(STATE_OFFSET, STATE_FRESH, STATE_INITIALISING)) {
      long capacity = m.size() - HEADER_LENGTH;
      m.putLong(MAGIC_OFFSET, MAGIC);
      m.putInt(VERSION_OFFSET, VERSION);
      m.putInt(KIND_OFFSET, kind.code());
      m.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
      m.putInt(SLOT_COUNT_OFFSET, SLOT_COUNT);
      m.putLong(CAPACITY_OFFSET, capacity);
      m.putInt(MAX_RECORD_OFFSET, maxRecordLength(capacity));
      m.putInt(MAX_MESSAGE_OFFSET, o.maxMessageLength());
      m.putLong(FILE_LENGTH_OFFSET, m.size());
      m.putLong(CREATOR_OFFSET, ProcessIdentity.current().token());
      m.putInt(HEADER_CHECKSUM_OFFSET, m.checksum(0, CHECKSUMMED_LENGTH));
      m.atomics().setIntRelease(STATE_OFFSET, STATE_READY);
      return;
    }
    long deadline = System.nanoTime() + INIT_PATIENCE.toNanos();
    while (m.atomics().getIntAcquire(STATE_OFFSET) == STATE_INITIALISING) {
      long creator = m.atomics().getLongAcquire(CREATOR_OFFSET);
      if (creator != 0 && !ProcessIdentity.isAlive(creator)) {
        throw new CorruptException(
            "channel initialisation was interrupted: file="
                + memory.path()
                + ", creatorPid="
                + ProcessIdentity.pidOf(creator));
      }
      if (System.nanoTime() > deadline) {
        throw new TimedOutException("channel still initialising: file=" + memory.path());
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  private static void checkSize(SharedMemory memory) {
    long size = memory.mapping().size();
    if (size < HEADER_LENGTH + MIN_CAPACITY) {
      throw corrupt(memory.path(), "channel file too small", "size=" + size);
    }
  }

  private static void validate(SharedMemory memory, ChannelKind expected) {
    Mapping m = memory.mapping();
    Path path = memory.path();
    long magic = m.getLong(MAGIC_OFFSET);
    if (magic != MAGIC) {
      throw corrupt(path, "not a channel file (bad magic)", "magic=0x" + Long.toHexString(magic));
    }
    int version = m.getInt(VERSION_OFFSET);
    if (version != VERSION) {
      throw corrupt(path, "unsupported channel version", "version=" + version);
    }
    int state = m.atomics().getIntAcquire(STATE_OFFSET);
    if (state != STATE_READY) {
      throw corrupt(path, "channel header not ready", "state=" + state);
    }
    int checksum = m.checksum(0, CHECKSUMMED_LENGTH);
    int stored = m.getInt(HEADER_CHECKSUM_OFFSET);
    if (checksum != stored) {
      throw corrupt(
          path, "channel header checksum mismatch", "stored=" + stored + ", computed=" + checksum);
    }
    ChannelKind kind = ChannelKind.of(m.getInt(KIND_OFFSET));
    if (kind != expected) {
      throw corrupt(path, "wrong channel kind", "expected=" + expected + ", found=" + kind);
    }
    long capacity = m.getLong(CAPACITY_OFFSET);
    if (m.getInt(HEADER_LENGTH_OFFSET) != HEADER_LENGTH
        || m.getInt(SLOT_COUNT_OFFSET) != SLOT_COUNT
        || capacity < MIN_CAPACITY
        || capacity > MAX_CAPACITY
        || Long.bitCount(capacity) != 1
        || m.getLong(FILE_LENGTH_OFFSET) != HEADER_LENGTH + capacity
        || m.size() != HEADER_LENGTH + capacity
        || m.getInt(MAX_RECORD_OFFSET) != maxRecordLength(capacity)) {
      throw corrupt(
          path,
          "bad channel sizes",
          "capacity="
              + capacity
              + ", fileLength="
              + m.getLong(FILE_LENGTH_OFFSET)
              + ", mapped="
              + m.size()
              + ", maxRecord="
              + m.getInt(MAX_RECORD_OFFSET));
    }
    int maxMessage = m.getInt(MAX_MESSAGE_OFFSET);
    if (maxMessage < 0 || maxMessage > MAX_MESSAGE_LIMIT) {
      throw corrupt(path, "bad maximum message length", "maxMessage=" + maxMessage);
    }
  }

  static CorruptException corrupt(Path path, String what, String details) {
    return new CorruptException(what + ": file=" + path + ", " + details);
  }

  /** Returns a corruption exception for this channel. */
  CorruptException corrupt(String what, String details) {
    return corrupt(path(), what, details);
  }

  /** Returns the channel file path. */
  public Path path() {
    return memory.path();
  }

  /** Returns the mapping of the whole file. */
  public Mapping mapping() {
    return mapping;
  }

  /** Returns the ring (the file past the header). */
  public MemorySegment ring() {
    return ring;
  }

  /** Returns the channel kind. */
  public ChannelKind kind() {
    return kind;
  }

  /** Returns the ring capacity. */
  public long capacity() {
    return capacity;
  }

  /** Returns the largest record, header included. */
  public int maxRecord() {
    return maxRecord;
  }

  /** Returns the largest reassembled message. */
  public int maxMessage() {
    return maxMessage;
  }

  /** Returns this process's options. */
  public ChannelOptions options() {
    return options;
  }

  int getInt(long offset) {
    return (int) INT.getVolatile(header, offset);
  }

  long getLong(long offset) {
    return (long) LONG.getVolatile(header, offset);
  }

  long getLongAcquire(long offset) {
    return (long) LONG.getAcquire(header, offset);
  }

  void setLongRelease(long offset, long value) {
    LONG.setRelease(header, offset, value);
  }

  void setInt(long offset, int value) {
    INT.setVolatile(header, offset, value);
  }

  boolean casLong(long offset, long expected, long value) {
    return LONG.compareAndSet(header, offset, expected, value);
  }

  int addInt(long offset, int delta) {
    return (int) INT.getAndAdd(header, offset, delta);
  }

  long addLong(long offset, long delta) {
    return (long) LONG.getAndAdd(header, offset, delta);
  }

  /** Wakes every sleeper on the futex word at {@code offset} after bumping it. */
  void signal(long offset) {
    addInt(offset, 1);
    Futex.wakeAll(mapping, offset);
  }

  /**
   * Makes a truncation fault left pending by raw access on this thread surface now, as {@link
   * TruncatedException}.
   */
  void fence() {
    mapping.fence();
  }

  /** Turns a failure of raw access into the exception the caller should see. */
  RuntimeException fault(Throwable e) {
    if (e instanceof IllegalStateException && mapping.isClosed()) {
      return new ClosedException("channel is closed: file=" + path());
    }
    if (e instanceof InternalError) {
      long size;
      try {
        size = Files.size(path());
      } catch (IOException io) {
        size = -1;
      }
      return new TruncatedException(path(), 0, mapping.size(), size, e);
    }
    if (e instanceof RuntimeException runtime) {
      return runtime;
    }
    throw (Error) e;
  }

  /**
   * Takes a producer slot for this process and returns its index. With {@code exclusive}, refuses
   * when any live producer holds a slot. A dead producer's slot is reused only once the consumer
   * has passed its last reservation, so that the consumer can still recover it.
   */
  public int attachProducer(boolean exclusive) {
    long me = ProcessIdentity.current().token();
    if (exclusive) {
      for (int i = 0; i < SLOT_COUNT; i++) {
        long token = getLong(slotOffset(i) + SLOT_TOKEN);
        if (token != 0 && ProcessIdentity.isAlive(token)) {
          throw new MmkitException(
              "channel already has a producer: file="
                  + path()
                  + ", pid="
                  + ProcessIdentity.pidOf(token));
        }
      }
    }
    long head = getLong(HEAD_OFFSET);
    for (int i = 0; i < SLOT_COUNT; i++) {
      long slot = slotOffset(i);
      long token = getLong(slot + SLOT_TOKEN);
      boolean free = token == 0;
      boolean reusable =
          !free
              && !ProcessIdentity.isAlive(token)
              && getLong(slot + SLOT_CLAIM_POSITION) + getLong(slot + SLOT_CLAIM_LENGTH) <= head;
      if ((free || reusable) && casLong(slot + SLOT_TOKEN, token, me)) {
        setLongRelease(slot + SLOT_CLAIM_LENGTH, 0);
        setLongRelease(slot + SLOT_CLAIM_POSITION, 0);
        addLong(ATTACH_COUNT_OFFSET, 1);
        return i;
      }
    }
    throw new FullException("no free producer slot: file=" + path() + ", slots=" + SLOT_COUNT);
  }

  /** Frees a slot taken with {@link #attachProducer}. */
  public void detachProducer(int slot) {
    casLong(slotOffset(slot) + SLOT_TOKEN, ProcessIdentity.current().token(), 0);
  }

  /**
   * Records this process as the consumer.
   *
   * @throws MmkitException when another live consumer is attached
   */
  public void attachConsumer() {
    long me = ProcessIdentity.current().token();
    while (true) {
      long token = getLong(CONSUMER_TOKEN_OFFSET);
      if (token != 0 && token != CONSUMER_CLOSED && ProcessIdentity.isAlive(token)) {
        throw new MmkitException(
            "channel already has a consumer: file="
                + path()
                + ", pid="
                + ProcessIdentity.pidOf(token));
      }
      if (casLong(CONSUMER_TOKEN_OFFSET, token, me)) {
        setInt(SLEEPERS_OFFSET, 0);
        return;
      }
    }
  }

  /** Records that this process, the consumer, closed its receiver. */
  public void detachConsumer() {
    casLong(CONSUMER_TOKEN_OFFSET, ProcessIdentity.current().token(), CONSUMER_CLOSED);
  }

  /** Returns what the header says about the consumer; reads {@code /proc} for a recorded one. */
  public ConsumerState consumerState() {
    return consumerStateOf(consumer());
  }

  /** Returns the consumer state a consumer token read from the header stands for. */
  public static ConsumerState consumerStateOf(long token) {
    if (token == 0) {
      return ConsumerState.NONE;
    }
    if (token == CONSUMER_CLOSED) {
      return ConsumerState.CLOSED;
    }
    return ProcessIdentity.isAlive(token) ? ConsumerState.ATTACHED : ConsumerState.DEAD;
  }

  /** Returns how many producer slots hold a live process. */
  public int liveProducers() {
    int live = 0;
    for (int i = 0; i < SLOT_COUNT; i++) {
      long token = getLong(slotOffset(i) + SLOT_TOKEN);
      if (token != 0 && ProcessIdentity.isAlive(token)) {
        live++;
      }
    }
    return live;
  }

  /** Returns the token of the process that initialised the channel. */
  public long creator() {
    return getLong(CREATOR_OFFSET);
  }

  /**
   * Returns the consumer token: 0 before any consumer attached, {@link
   * dev.mmkit.ipc.ChannelLayout#CONSUMER_CLOSED} after the last one closed.
   */
  public long consumer() {
    return getLong(CONSUMER_TOKEN_OFFSET);
  }

  /** Returns the header word at {@code offset} (a long), for inspection. */
  public long headerLong(long offset) {
    return getLong(offset);
  }

  /** Returns the attach count. */
  public long attachCount() {
    return getLong(ATTACH_COUNT_OFFSET);
  }

  @Override
  public void close() {
    memory.close();
  }
}
