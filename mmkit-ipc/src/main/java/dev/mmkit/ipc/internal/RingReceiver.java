package dev.mmkit.ipc.internal;

import static dev.mmkit.ipc.ChannelLayout.CLEAN_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.DATA_SIGNAL_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.HEAD_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.PRODUCERS_WAITING_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.RECORD_HEADER_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.RECORD_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.RECORD_TOKEN;
import static dev.mmkit.ipc.ChannelLayout.RECORD_TYPE;
import static dev.mmkit.ipc.ChannelLayout.ROOM_WANTED_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.SKIPPED_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.SLEEPERS_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.SLOT_COUNT;
import static dev.mmkit.ipc.ChannelLayout.SLOT_SHIFT;
import static dev.mmkit.ipc.ChannelLayout.SPACE_SIGNAL_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.TAIL_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.TYPE_FIRST;
import static dev.mmkit.ipc.ChannelLayout.TYPE_LAST;
import static dev.mmkit.ipc.ChannelLayout.TYPE_MASK;
import static dev.mmkit.ipc.ChannelLayout.TYPE_MESSAGE;
import static dev.mmkit.ipc.ChannelLayout.TYPE_MIDDLE;
import static dev.mmkit.ipc.ChannelLayout.TYPE_PADDING;
import static dev.mmkit.ipc.ChannelLayout.align;
import static dev.mmkit.ipc.internal.ChannelFile.INT;
import static dev.mmkit.ipc.internal.ChannelFile.LONG;

import dev.mmkit.core.ClosedException;
import dev.mmkit.core.ProcessIdentity;
import dev.mmkit.core.TruncatedException;
import dev.mmkit.ipc.ChannelReceiver;
import dev.mmkit.ipc.MessageHandler;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * RingReceiver is the consumer side of one-to-one and many-to-one channels. It reads records at its
 * position with raw access, validates every length against the ring before using it, zeroes what it
 * consumed and publishes its new position once per batch, after one fault fence.
 *
 * <p>At its position it finds one of: a committed record (delivered), a claimed record (waits,
 * unless the token in it names a dead process: then skips it), or nothing although the tail has
 * moved past (a producer reserved the space and has not written the header yet: the producer slots
 * tell who; if that producer is dead, the whole reservation is skipped).
 */
public final class RingReceiver implements ChannelReceiver {
  /**
   * Most polls of a stalled position between two reads of the clock. A clock read costs about 30 ns
   * here, as much as the rest of an empty poll; reading it on every poll slowed a busy-spinning
   * receiver's reaction to a new message.
   */
  private static final int MAX_CLOCK_STRIDE = 64;

  /** Spins of a busy-spinning {@link #receive} between two full polls (a power of two). */
  private static final int SPINS_PER_POLL = 64;

  /**
   * Polls this close together (between two clock reads) count as dense: the stride between clock
   * reads doubles, up to {@link #MAX_CLOCK_STRIDE}. A longer gap sets it back to one.
   */
  private static final long DENSE_POLLING_NANOS = 10_000;

  private final ChannelFile file;
  private final MemorySegment header;
  private final MemorySegment ring;
  private final MemorySegment view;
  private final long capacity;
  private final long mask;
  private final int maxRecord;
  private final long livenessNanos;
  private final long claimTimeoutNanos;
  private final Assembler assembler;
  private final Idler idler;
  private final BooleanSupplier messageReady;
  private final long cleanThreshold;
  private final DeadReservation deadReservations;
  private long head;
  private long tailSeen;
  private long clean;
  private long skipped;
  private long stallPosition = -1;
  private boolean stallTimed;
  private long stallSince;
  private long lastLivenessCheck;
  private long lastClockRead;
  private int clockStride = 1;
  private int pollsUntilClock;
  private boolean closed;

  /** Attaches the consumer of {@code file}. */
  public RingReceiver(ChannelFile file) {
    this.file = file;
    this.header = file.mapping().segment();
    this.ring = file.ring();
    this.view = ring.asReadOnly();
    this.capacity = file.capacity();
    this.mask = capacity - 1;
    this.maxRecord = file.maxRecord();
    this.cleanThreshold = capacity / 4;
    this.livenessNanos = file.options().livenessInterval().toNanos();
    this.claimTimeoutNanos = file.options().claimTimeout().toNanos();
    this.assembler = new Assembler(file);
    this.idler =
        new Idler(
            file,
            file.options().waitStrategy(),
            DATA_SIGNAL_OFFSET,
            SLEEPERS_OFFSET,
            () -> file.getLong(TAIL_OFFSET) == head);
    this.messageReady = this::hasMessage;
    this.deadReservations = new DeadReservation(file);
    file.attachConsumer();
    long position = file.getLong(HEAD_OFFSET);
    long tail = file.getLong(TAIL_OFFSET);
    if (position < 0 || (position & 15) != 0 || position > tail || tail - position > capacity) {
      file.detachConsumer();
      throw file.corrupt("bad channel positions", "head=" + position + ", tail=" + tail);
    }
    long cleaned = file.getLong(CLEAN_OFFSET);
    if (cleaned < 0 || (cleaned & 15) != 0 || cleaned > position || position - cleaned > capacity) {
      file.detachConsumer();
      throw file.corrupt("bad channel positions", "clean=" + cleaned + ", head=" + position);
    }
    this.head = position;
    this.tailSeen = tail;
    this.clean = cleaned;
    try {
      cleanUpTo(position);
    } catch (InternalError | IllegalStateException e) {
      file.detachConsumer();
      throw file.fault(e);
    }
  }

  @Override
  public int poll(MessageHandler handler, int limit) {
    ensureOpen();
    long start = head;
    long position = start;
    long published = tailSeen;
    int count = 0;
    try {
      // Stop after one lap: bytes consumed since the clean position are not zeroed yet.
      while (count < limit && position - clean < capacity) {
        long index = position & mask;
        int length = (int) INT.getAcquire(ring, index + RECORD_LENGTH);
        if (length > 0) {
          int aligned = checkedLength(length, index);
          if (position + aligned > published) {
            published = publishedTail(position + aligned, index);
          }
          int type = (int) INT.get(ring, index + RECORD_TYPE);
          position += aligned;
          // The common case first, in as little code as possible: this loop is the hot path of
          // every receive, and C2 inlines what it calls only while it stays small.
          if ((type & TYPE_MASK) == TYPE_MESSAGE) {
            handler.onMessage(view, index + RECORD_HEADER_LENGTH, length - RECORD_HEADER_LENGTH);
            count++;
          } else if (deliverOther(type, index, length, handler)) {
            count++;
          }
        } else {
          long skip = length < 0 ? deadClaim(position, index, -length) : deadReservation(position);
          if (skip == 0) {
            break;
          }
          position += skip;
          published = tailSeen;
        }
      }
    } catch (InternalError | IllegalStateException e) {
      if (e instanceof InternalError || file.mapping().isClosed()) {
        position = start; // nothing read in a batch that faulted is released
      } // else the handler threw it: its message counts as consumed, as for any other exception
      throw file.fault(e);
    } finally {
      finishBatch(start, position);
    }
    return count;
  }

  /**
   * Releases what a batch consumed, also when the handler threw: the message it was given counts as
   * consumed. Every path passes one fault fence, also when nothing was consumed: the batch read the
   * ring, and a fault of those reads must surface here, not after poll has returned.
   */
  private void finishBatch(long start, long position) {
    try {
      if (position != start) {
        release(position);
      } else if (clean != head && roomWanted()) {
        cleanAll();
      } else {
        file.fence();
      }
    } catch (InternalError | IllegalStateException e) {
      throw file.fault(e);
    }
  }

  /** Delivers a record that is not a whole message; returns whether it completed a message. */
  private boolean deliverOther(int typeWord, long index, int length, MessageHandler handler) {
    int type = typeWord & TYPE_MASK;
    int slot = typeWord >>> SLOT_SHIFT;
    int payload = length - RECORD_HEADER_LENGTH;
    switch (type) {
      case TYPE_PADDING -> {
        return false;
      }
      case TYPE_FIRST, TYPE_MIDDLE, TYPE_LAST -> {
        long producer = (long) LONG.get(ring, index + RECORD_TOKEN);
        if (slot >= SLOT_COUNT) {
          throw file.corrupt("bad producer slot in fragment", "slot=" + slot + ", offset=" + index);
        }
        return assembler.add(
            type, producer, slot, ring, index + RECORD_HEADER_LENGTH, payload, handler);
      }
      default ->
          throw file.corrupt("unknown record type", "type=" + typeWord + ", offset=" + index);
    }
  }

  /** Returns the aligned length of a record after checking that it lies inside the ring. */
  private int checkedLength(int length, long index) {
    int aligned = align(length);
    if (length < RECORD_HEADER_LENGTH || length > maxRecord || index + (long) aligned > capacity) {
      throw badLength(length, index);
    }
    return aligned;
  }

  /**
   * Reads the published tail again for a record at ring offset {@code index} that ends at position
   * {@code end}, past the tail seen so far, and returns it. No producer writes a record before its
   * reservation has moved the tail past it, so a record that ends past the tail even now was
   * forged: it is never delivered.
   */
  private long publishedTail(long end, long index) {
    long tail = (long) LONG.getAcquire(header, TAIL_OFFSET);
    tailSeen = tail;
    if (end > tail) {
      throw file.corrupt(
          "record past the published tail", "end=" + end + ", tail=" + tail + ", offset=" + index);
    }
    return tail;
  }

  private RuntimeException badLength(int length, long index) {
    return file.corrupt(
        "record length out of bounds",
        "length=" + length + ", offset=" + index + ", maxRecord=" + maxRecord);
  }

  /**
   * Handles a claimed record at the consumer position: returns its length when its producer is dead
   * (or it outlived the claim timeout), 0 to wait for it.
   */
  private long deadClaim(long position, long index, int length) {
    int aligned = checkedLength(length, index);
    if (position + aligned > tailSeen) {
      publishedTail(position + aligned, index);
    }
    if (!livenessCheckDue(position)) {
      return 0;
    }
    long producer = (long) LONG.getVolatile(ring, index + RECORD_TOKEN);
    if (ProcessIdentity.isAlive(producer) && !claimTimedOut()) {
      return 0;
    }
    assembler.producerDied(producer);
    countSkip();
    return aligned;
  }

  /**
   * Handles an unwritten header at the consumer position: returns the length to skip when the space
   * was reserved by a producer that died before writing it (see {@link DeadReservation}), 0
   * otherwise.
   */
  private long deadReservation(long position) {
    if (!livenessCheckDue(position)) {
      return 0;
    }
    long tail = file.getLong(TAIL_OFFSET);
    tailSeen = tail;
    if (tail == position) {
      return 0;
    }
    if (tail < position || tail - position > capacity) {
      throw file.corrupt("bad producer position", "head=" + position + ", tail=" + tail);
    }
    long skip = deadReservations.skipAt(position, tail, claimTimedOut(), assembler::producerDied);
    if (skip > 0) {
      countSkip();
      ProducerRecoveredEvent event = new ProducerRecoveredEvent();
      if (event.isEnabled()) {
        event.channel = file.path().toString();
        event.skippedBytes = skip;
        event.position = position;
        event.commit();
      }
    }
    return skip;
  }

  private void countSkip() {
    skipped++;
    file.addLong(SKIPPED_OFFSET, 1);
    stallPosition = -1;
  }

  /**
   * Says whether to check the producer of a stalled position now: not when the stall is new (a live
   * producer is usually just writing; a check reads {@code /proc}), then once per liveness
   * interval. The clock is read once per {@code clockStride} calls: the stride grows while polls
   * come densely (a spinning receiver) and falls back to one as soon as they do not, and {@link
   * #receive} resets it whenever its wait strategy did more than spin, so a stall is still timed
   * within a few polls of a slow poller.
   */
  private boolean livenessCheckDue(long position) {
    if (position != stallPosition) {
      stallPosition = position;
      stallTimed = false;
    }
    if (--pollsUntilClock > 0) {
      return false;
    }
    long now = System.nanoTime();
    clockStride =
        now - lastClockRead < DENSE_POLLING_NANOS ? Math.min(clockStride * 2, MAX_CLOCK_STRIDE) : 1;
    pollsUntilClock = clockStride;
    lastClockRead = now;
    if (!stallTimed) {
      stallTimed = true;
      stallSince = now;
      lastLivenessCheck = now;
      return false;
    }
    if (now - lastLivenessCheck >= livenessNanos) {
      lastLivenessCheck = now;
      return true;
    }
    return false;
  }

  /** Makes the next poll of a stalled position read the clock (after a wait longer than a spin). */
  private void readClockNextPoll() {
    pollsUntilClock = 0;
    clockStride = 1;
  }

  private boolean claimTimedOut() {
    return claimTimeoutNanos > 0 && System.nanoTime() - stallSince >= claimTimeoutNanos;
  }

  /**
   * Publishes the new consumer position, zeroes what was consumed once a quarter of the ring has
   * piled up (zeroing each record right after reading it would fight the producer for the same
   * cache lines), and wakes producers waiting for room.
   */
  private void release(long to) {
    LONG.setRelease(header, HEAD_OFFSET, to);
    head = to;
    if (to - clean >= cleanThreshold || roomWanted()) {
      cleanUpTo(to);
    }
    file.fence();
    // No full fence here (the cost Idler explains); see Idler for why a sleeper
    // that this read misses still wakes within a millisecond.
    if ((int) INT.getAcquire(header, PRODUCERS_WAITING_OFFSET) != 0) {
      wakeProducers(to);
    }
  }

  /** Says whether a producer found the ring full and asked for it to be zeroed; clears the ask. */
  private boolean roomWanted() {
    if ((int) INT.getAcquire(header, ROOM_WANTED_OFFSET) == 0) {
      return false;
    }
    INT.setRelease(header, ROOM_WANTED_OFFSET, 0);
    return true;
  }

  private void wakeProducers(long to) {
    cleanUpTo(to);
    file.signal(SPACE_SIGNAL_OFFSET);
  }

  /** Zeroes the ring from the clean position up to {@code to} and publishes it as clean. */
  private void cleanUpTo(long to) {
    if (to == clean) {
      return;
    }
    long start = clean & mask;
    long length = to - clean;
    long first = Math.min(length, capacity - start);
    ring.asSlice(start, first).fill((byte) 0);
    if (first < length) {
      ring.asSlice(0, length - first).fill((byte) 0);
    }
    LONG.setRelease(header, CLEAN_OFFSET, to);
    clean = to;
  }

  /** Zeroes everything consumed, so producers get the whole ring while this receiver waits. */
  private void cleanAll() {
    try {
      cleanUpTo(head);
      file.fence();
    } catch (InternalError | IllegalStateException e) {
      throw file.fault(e);
    }
    if ((int) INT.getAcquire(header, PRODUCERS_WAITING_OFFSET) != 0) {
      file.signal(SPACE_SIGNAL_OFFSET);
    }
  }

  @Override
  public int receive(MessageHandler handler, int limit, Duration timeout) {
    int count = poll(handler, limit);
    if (count > 0) {
      return count;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    if (idler.busySpin()) {
      return spin(handler, limit, deadline, Long.MAX_VALUE);
    }
    // The spin phase of the other strategies is the busy-spin loop, cut short after its spins:
    // while messages keep coming, a blocking receiver reacts as fast as a busy-spinning one.
    count = spin(handler, limit, deadline, idler.spinPhase());
    if (count > 0) {
      return count;
    }
    idler.reset();
    idler.skipSpinPhase();
    for (; ; ) {
      if (System.nanoTime() - deadline >= 0) {
        assembler.pruneDead();
        return 0;
      }
      if (clean != head) {
        cleanAll();
      }
      idler.idle(messageReady, deadline);
      readClockNextPoll();
      count = poll(handler, limit);
      if (count > 0) {
        return count;
      }
    }
  }

  /**
   * Spins until a message arrives, the deadline passes or {@code maxSpins} spins are done. Between
   * two full polls it only watches the length word at its position, so that it sees a new message a
   * few nanoseconds after it lands; every {@link #SPINS_PER_POLL}th spin polls in full (stalled
   * claims, dead producers, producers asking for room) and reads the clock, which costs as much as
   * a spin here. Returns the number of messages handled, 0 when none came.
   */
  private int spin(MessageHandler handler, int limit, long deadline, long maxSpins) {
    // A fault of the raw probe below surfaces at some later safepoint of this loop: all of it is
    // inside the try, and the fence before the timed-out return surfaces one still pending.
    try {
      for (long spins = 1; spins <= maxSpins; spins++) {
        Thread.onSpinWait();
        if ((spins & (SPINS_PER_POLL - 1)) == 0) {
          if (System.nanoTime() - deadline >= 0) {
            file.fence();
            assembler.pruneDead();
            return 0;
          }
        } else if (!committedAtHead()) {
          continue;
        }
        int count = poll(handler, limit);
        if (count > 0) {
          return count;
        }
      }
      file.fence();
      return 0;
    } catch (InternalError | IllegalStateException e) {
      throw file.fault(e);
    }
  }

  /** Reads whether a committed record waits at the consumer position, without a fault fence. */
  private boolean committedAtHead() {
    return (int) INT.getAcquire(ring, (head & mask) + RECORD_LENGTH) > 0;
  }

  @Override
  public boolean hasMessage() {
    try {
      int length = (int) INT.getAcquire(ring, (head & mask) + RECORD_LENGTH);
      boolean committed =
          length > 0
              && head + ((length + 15L) & -16L) <= (long) LONG.getAcquire(header, TAIL_OFFSET);
      file.fence();
      return committed;
    } catch (InternalError | IllegalStateException e) {
      throw file.fault(e);
    }
  }

  @Override
  public long skippedClaims() {
    return skipped;
  }

  @Override
  public long droppedMessages() {
    return assembler.dropped();
  }

  @Override
  public int liveProducers() {
    return file.liveProducers();
  }

  @Override
  public long producerAttachCount() {
    return file.attachCount();
  }

  @Override
  public Path path() {
    return file.path();
  }

  private void ensureOpen() {
    if (closed) {
      throw new ClosedException("receiver is closed: file=" + file.path());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!file.mapping().isClosed()) {
        cleanAll();
      }
    } catch (TruncatedException e) {
      // The ring was cut from under this receiver, which a receive has already reported: there is
      // nothing left to zero for the producers, and closing must still release the channel.
    } finally {
      closeFile();
    }
  }

  private void closeFile() {
    try {
      file.detachConsumer();
    } finally {
      file.close();
    }
  }

  @Override
  public String toString() {
    return "RingReceiver[file=" + file.path() + ", head=" + head + "]";
  }
}
