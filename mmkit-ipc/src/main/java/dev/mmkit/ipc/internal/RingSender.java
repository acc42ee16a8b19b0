package dev.mmkit.ipc.internal;

import static dev.mmkit.ipc.ChannelLayout.CLEAN_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.CONSUMER_CLOSED;
import static dev.mmkit.ipc.ChannelLayout.CONSUMER_TOKEN_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.DATA_SIGNAL_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.HEAD_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.PRODUCERS_WAITING_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.RECORD_HEADER_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.RECORD_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.RECORD_TOKEN;
import static dev.mmkit.ipc.ChannelLayout.RECORD_TYPE;
import static dev.mmkit.ipc.ChannelLayout.ROOM_WANTED_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.SLEEPERS_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.SLOT_CLAIM_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.SLOT_CLAIM_POSITION;
import static dev.mmkit.ipc.ChannelLayout.SLOT_SHIFT;
import static dev.mmkit.ipc.ChannelLayout.SPACE_SIGNAL_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.TAIL_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.TYPE_FIRST;
import static dev.mmkit.ipc.ChannelLayout.TYPE_LAST;
import static dev.mmkit.ipc.ChannelLayout.TYPE_MESSAGE;
import static dev.mmkit.ipc.ChannelLayout.TYPE_MIDDLE;
import static dev.mmkit.ipc.ChannelLayout.TYPE_PADDING;
import static dev.mmkit.ipc.ChannelLayout.align;
import static dev.mmkit.ipc.ChannelLayout.slotOffset;
import static dev.mmkit.ipc.internal.ChannelFile.INT;
import static dev.mmkit.ipc.internal.ChannelFile.LONG;

import dev.mmkit.core.ClosedException;
import dev.mmkit.core.ProcessIdentity;
import dev.mmkit.core.TimedOutException;
import dev.mmkit.ipc.ChannelSender;
import dev.mmkit.ipc.ConsumerState;
import dev.mmkit.ipc.MessageTooLongException;
import dev.mmkit.ipc.NoConsumerException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * RingSender is the producer side of one-to-one and many-to-one channels. A reservation writes the
 * slot (claim position, then length) before it moves the tail, so a consumer that finds reserved
 * but unwritten space can tell which producer reserved it and how much. One-to-one moves the tail
 * with a release store, many-to-one with a compare-and-set.
 */
public final class RingSender implements ChannelSender {
  private static final Duration FRAGMENT_PATIENCE = Duration.ofSeconds(10);
  private static final int TOTAL_LENGTH_PREFIX = 4;

  private final ChannelFile file;
  private final MemorySegment header;
  private final MemorySegment ring;
  private final long capacity;
  private final long mask;
  private final int maxPayload;
  private final boolean multi;
  private final int slot;
  private final long slotOffset;
  private final long token;
  private final long livenessNanos;
  private final Idler idler;
  private final BooleanSupplier roomReady;
  private final ReservationProbe probe;
  private long tail;
  private long headCache;
  private long lastConsumerCheck;
  private int roomWanted;
  private long claimIndex = -1;
  private int claimLength;
  private boolean closed;

  /** Attaches a producer to {@code file}; {@code multi} allows other producers beside it. */
  public RingSender(ChannelFile file, boolean multi) {
    this(file, multi, null);
  }

  /** Attaches a producer that tells {@code probe} (when not null) each step of a reservation. */
  RingSender(ChannelFile file, boolean multi, ReservationProbe probe) {
    this.probe = probe;
    this.file = file;
    this.header = file.mapping().segment();
    this.ring = file.ring();
    this.capacity = file.capacity();
    this.mask = capacity - 1;
    this.maxPayload = file.maxRecord() - RECORD_HEADER_LENGTH;
    this.multi = multi;
    this.slot = file.attachProducer(!multi);
    this.slotOffset = slotOffset(slot);
    this.token = ProcessIdentity.current().token();
    this.livenessNanos = file.options().livenessInterval().toNanos();
    this.idler =
        new Idler(
            file, file.options().waitStrategy(), SPACE_SIGNAL_OFFSET, PRODUCERS_WAITING_OFFSET);
    this.roomReady = this::roomNow;
    this.tail = file.getLong(TAIL_OFFSET);
    this.headCache = file.getLong(CLEAN_OFFSET);
    long head = file.getLong(HEAD_OFFSET);
    if (headCache < 0
        || (headCache & 15) != 0
        || (head & 15) != 0
        || headCache > head
        || head > tail
        || tail - headCache > capacity) {
      file.detachProducer(slot);
      throw file.corrupt(
          "bad channel positions", "head=" + head + ", " + positions(headCache, tail));
    }
    this.lastConsumerCheck = System.nanoTime() - livenessNanos;
  }

  @Override
  public boolean offer(MemorySegment message) {
    ensureOpen();
    long length = message.byteSize();
    if (length <= maxPayload) {
      return offerRecord(message, 0, (int) length);
    }
    long fragmented = fragmentedLength(checkLength(length));
    if (fragmented + file.maxRecord() > capacity) {
      throw new MessageTooLongException(
          "message too long to offer at once, use send: length="
              + length
              + ", capacity="
              + capacity
              + ", file="
              + file.path());
    }
    if (!hasRoom(multi ? currentTail() : tail, fragmented + file.maxRecord())) {
      return full();
    }
    sendFragments(message, System.nanoTime() + FRAGMENT_PATIENCE.toNanos());
    return true;
  }

  @Override
  public boolean offer(byte[] message, int offset, int length) {
    return offer(MemorySegment.ofArray(message).asSlice(offset, length));
  }

  @Override
  public void send(MemorySegment message, Duration timeout) {
    ensureOpen();
    long length = message.byteSize();
    if (length <= maxPayload && offerRecord(message, 0, (int) length)) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    if (length > maxPayload) {
      checkLength(length);
      sendFragments(message, deadline);
      return;
    }
    idler.reset();
    while (!offerRecord(message, 0, (int) length)) {
      awaitRoom(align(RECORD_HEADER_LENGTH + (int) length), deadline);
    }
  }

  private boolean offerRecord(MemorySegment message, long from, int length) {
    return writeRecord(TYPE_MESSAGE, message, from, length, -1);
  }

  /**
   * Writes one committed record of {@code type}; {@code prefix}, when not negative, is an int
   * written before the payload. Returns false when there is no room.
   */
  private boolean writeRecord(int type, MemorySegment message, long from, int length, int prefix) {
    int extra = prefix >= 0 ? TOTAL_LENGTH_PREFIX : 0;
    int recordLength = RECORD_HEADER_LENGTH + extra + length;
    try {
      long index = reserve(recordLength);
      if (index < 0) {
        return full();
      }
      if (prefix >= 0) {
        INT.set(ring, index + RECORD_HEADER_LENGTH, prefix);
      }
      MemorySegment.copy(message, from, ring, index + RECORD_HEADER_LENGTH + extra, length);
      INT.set(ring, index + RECORD_TYPE, type | slot << SLOT_SHIFT);
      LONG.set(ring, index + RECORD_TOKEN, token);
      INT.setRelease(ring, index + RECORD_LENGTH, recordLength);
      published();
      file.fence();
      return true;
    } catch (InternalError | IllegalStateException e) {
      throw file.fault(e);
    }
  }

  /**
   * Reserves room for one record of {@code recordLength} bytes, writing a padding record first when
   * it would not fit before the end of the ring. Returns the ring offset of the record, or -1 when
   * the ring is full.
   */
  private long reserve(int recordLength) {
    int aligned = align(recordLength);
    long position;
    long required;
    while (true) {
      position = multi ? (long) LONG.getVolatile(header, TAIL_OFFSET) : tail;
      long toEnd = capacity - (position & mask);
      required = aligned <= toEnd ? aligned : toEnd + aligned;
      if (!hasRoom(position, required)) {
        return -1;
      }
      LONG.set(header, slotOffset + SLOT_CLAIM_LENGTH, required);
      LONG.setRelease(header, slotOffset + SLOT_CLAIM_POSITION, position);
      if (probe != null) {
        probe.reached(ReservationProbe.Step.SLOT_WRITTEN, position);
      }
      if (!multi) {
        LONG.setRelease(header, TAIL_OFFSET, position + required);
        tail = position + required;
        break;
      }
      if (LONG.compareAndSet(header, TAIL_OFFSET, position, position + required)) {
        break;
      }
    }
    if (probe != null) {
      probe.reached(ReservationProbe.Step.TAIL_MOVED, position);
    }
    long index = position & mask;
    if (required != aligned) {
      INT.set(ring, index + RECORD_TYPE, TYPE_PADDING);
      LONG.set(ring, index + RECORD_TOKEN, token);
      INT.setRelease(ring, index + RECORD_LENGTH, (int) (required - aligned));
      index = 0;
    }
    return index;
  }

  private boolean hasRoom(long position, long required) {
    if (position + required - headCache <= capacity) {
      return true;
    }
    long head = (long) LONG.getAcquire(header, CLEAN_OFFSET);
    if (head > position) {
      long current = currentTail();
      if (head > current || !multi) {
        throw file.corrupt("consumer position past producer position", positions(head, current));
      }
      return true;
    }
    if (position - head > capacity || (head & 15) != 0) {
      throw file.corrupt("bad consumer position", positions(head, position));
    }
    headCache = head;
    if (position + required - head <= capacity) {
      return true;
    }
    // Ask the consumer to zero what it has consumed: it does so lazily otherwise.
    if ((int) INT.getAcquire(header, ROOM_WANTED_OFFSET) == 0) {
      INT.setRelease(header, ROOM_WANTED_OFFSET, 1);
    }
    return false;
  }

  private static String positions(long head, long tail) {
    return "clean=" + head + ", tail=" + tail;
  }

  private long currentTail() {
    return (long) LONG.getVolatile(header, TAIL_OFFSET);
  }

  private boolean roomNow() {
    return hasRoom(multi ? currentTail() : tail, roomWanted);
  }

  /** Tells a sleeping consumer there is something new. */
  private void published() {
    // No full fence here (the cost Idler explains); see Idler for why a sleeper
    // that this read misses still wakes within a millisecond.
    if ((int) INT.getAcquire(header, SLEEPERS_OFFSET) != 0) {
      file.signal(DATA_SIGNAL_OFFSET);
    }
  }

  private boolean full() {
    checkConsumer();
    return false;
  }

  private void checkConsumer() {
    long now = System.nanoTime();
    if (now - lastConsumerCheck < livenessNanos) {
      return;
    }
    lastConsumerCheck = now;
    long consumer = file.getLong(CONSUMER_TOKEN_OFFSET);
    if (consumer != 0 && consumer != CONSUMER_CLOSED && !ProcessIdentity.isAlive(consumer)) {
      throw new NoConsumerException(
          "no consumer: the channel's consumer died, file="
              + file.path()
              + ", consumerPid="
              + ProcessIdentity.pidOf(consumer));
    }
  }

  private void awaitRoom(int required, long deadline) {
    if (System.nanoTime() - deadline > 0) {
      throw new TimedOutException(
          "channel full for the whole timeout: file="
              + file.path()
              + ", required="
              + required
              + ", capacity="
              + capacity);
    }
    roomWanted = required;
    idler.idle(roomReady, deadline);
  }

  private int checkLength(long length) {
    if (length > file.maxMessage()) {
      throw new MessageTooLongException(
          "message too long: length="
              + length
              + ", maxMessageLength="
              + file.maxMessage()
              + ", file="
              + file.path());
    }
    return (int) length;
  }

  /** Returns the ring bytes that the fragments of a message of {@code length} bytes take. */
  private long fragmentedLength(int length) {
    long total = 0;
    long left = length + (long) TOTAL_LENGTH_PREFIX;
    while (left > 0) {
      int chunk = (int) Math.min(left, maxPayload);
      total += align(RECORD_HEADER_LENGTH + chunk);
      left -= chunk;
    }
    return total;
  }

  private void sendFragments(MemorySegment message, long deadline) {
    int length = (int) message.byteSize();
    long sent = 0;
    int type = TYPE_FIRST;
    while (sent < length) {
      int room = type == TYPE_FIRST ? maxPayload - TOTAL_LENGTH_PREFIX : maxPayload;
      int chunk = (int) Math.min(room, length - sent);
      if (type != TYPE_FIRST) {
        type = sent + chunk == length ? TYPE_LAST : TYPE_MIDDLE;
      }
      idler.reset();
      int prefix = type == TYPE_FIRST ? length : -1;
      while (!writeRecord(type, message, sent, chunk, prefix)) {
        awaitRoom(align(RECORD_HEADER_LENGTH + TOTAL_LENGTH_PREFIX + chunk), deadline);
      }
      sent += chunk;
      type = TYPE_MIDDLE;
    }
  }

  @Override
  public long tryClaim(int length) {
    ensureOpen();
    if (claimIndex >= 0) {
      throw new IllegalStateException("a claim is already open: offset=" + claimIndex);
    }
    if (length < 0 || length > maxPayload) {
      throw new MessageTooLongException(
          "claim too long: length=" + length + ", maxRecordPayload=" + maxPayload);
    }
    try {
      long index = reserve(RECORD_HEADER_LENGTH + length);
      if (index < 0) {
        full();
        return FULL;
      }
      INT.set(ring, index + RECORD_TYPE, TYPE_MESSAGE);
      LONG.set(ring, index + RECORD_TOKEN, token);
      INT.setRelease(ring, index + RECORD_LENGTH, -(RECORD_HEADER_LENGTH + length));
      file.fence();
      claimIndex = index;
      claimLength = RECORD_HEADER_LENGTH + length;
      return index + RECORD_HEADER_LENGTH;
    } catch (InternalError | IllegalStateException e) {
      throw file.fault(e);
    }
  }

  @Override
  public MemorySegment buffer() {
    return ring;
  }

  @Override
  public void commit(long offset) {
    finishClaim(offset, TYPE_MESSAGE);
  }

  @Override
  public void abort(long offset) {
    finishClaim(offset, TYPE_PADDING);
  }

  private void finishClaim(long offset, int type) {
    if (claimIndex < 0 || offset != claimIndex + RECORD_HEADER_LENGTH) {
      throw new IllegalStateException(
          "no open claim at offset: offset=" + offset + ", open=" + claimIndex);
    }
    long index = claimIndex;
    claimIndex = -1;
    try {
      INT.set(ring, index + RECORD_TYPE, type);
      INT.setRelease(ring, index + RECORD_LENGTH, claimLength);
      published();
      file.fence();
    } catch (InternalError | IllegalStateException e) {
      throw file.fault(e);
    }
  }

  @Override
  public ConsumerState consumerState() {
    return file.consumerState();
  }

  @Override
  public int maxRecordPayload() {
    return maxPayload;
  }

  @Override
  public int maxMessageLength() {
    return file.maxMessage();
  }

  @Override
  public Path path() {
    return file.path();
  }

  private void ensureOpen() {
    if (closed) {
      throw new ClosedException("sender is closed: file=" + file.path());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      if (claimIndex >= 0) {
        abort(claimIndex + RECORD_HEADER_LENGTH);
      }
      file.detachProducer(slot);
    } finally {
      closed = true;
      file.close();
    }
  }

  @Override
  public String toString() {
    return "RingSender[file=" + file.path() + ", slot=" + slot + ", multi=" + multi + "]";
  }
}
