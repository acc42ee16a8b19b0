package dev.mmkit.ipc.internal;

import static dev.mmkit.ipc.ChannelLayout.DATA_SIGNAL_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.LATEST_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.RECORD_HEADER_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.RECORD_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.RECORD_TOKEN;
import static dev.mmkit.ipc.ChannelLayout.RECORD_TYPE;
import static dev.mmkit.ipc.ChannelLayout.SEQUENCE_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.SLEEPERS_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.TAIL_INTENT_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.TAIL_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.TYPE_FIRST;
import static dev.mmkit.ipc.ChannelLayout.TYPE_LAST;
import static dev.mmkit.ipc.ChannelLayout.TYPE_MESSAGE;
import static dev.mmkit.ipc.ChannelLayout.TYPE_MIDDLE;
import static dev.mmkit.ipc.ChannelLayout.TYPE_PADDING;
import static dev.mmkit.ipc.ChannelLayout.align;
import static dev.mmkit.ipc.internal.ChannelFile.INT;
import static dev.mmkit.ipc.internal.ChannelFile.LONG;

import dev.mmkit.core.ClosedException;
import dev.mmkit.ipc.BroadcastSender;
import dev.mmkit.ipc.MessageTooLongException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * BroadcastTransmitter writes broadcast records. Before touching the ring it announces how far it
 * is about to write (the tail intent) and fences, so that a receiver that copied a record and then
 * sees an intent more than a ring past that record knows the copy may be torn.
 *
 * <p>A message longer than one record goes as fragments (first, middle..., last) that all carry the
 * message's sequence number; the first fragment's payload starts with the total length. A message
 * may take at most half the ring ({@link #maxMessageLength()}), so that a receiver that keeps up
 * finds all its fragments in the ring; one that is lapped in the middle loses the message and
 * counts it as lost.
 */
public final class BroadcastTransmitter implements BroadcastSender {
  private final ChannelFile file;
  private final MemorySegment header;
  private final MemorySegment ring;
  private final long capacity;
  private final long mask;
  private final int maxPayload;
  private final int maxMessage;
  private final int slot;
  private long tail;
  private long sequence;
  private boolean closed;

  /** Attaches the transmitter of {@code file}. */
  public BroadcastTransmitter(ChannelFile file) {
    this.file = file;
    this.header = file.mapping().segment();
    this.ring = file.ring();
    this.capacity = file.capacity();
    this.mask = capacity - 1;
    this.maxPayload = file.maxRecord() - RECORD_HEADER_LENGTH;
    this.maxMessage = maxMessageLength(file);
    this.slot = file.attachProducer(true);
    this.tail = file.getLong(TAIL_OFFSET);
    this.sequence = file.getLong(SEQUENCE_OFFSET);
    if (file.getLong(LATEST_OFFSET) >= tail && tail > 0) {
      // The previous transmitter died after completing its latest record but before publishing
      // the tail: continue after that record.
      tail = file.getLong(TAIL_INTENT_OFFSET);
      LONG.setRelease(header, TAIL_OFFSET, tail);
    }
    if (tail < 0 || (tail & 15) != 0 || sequence < 0) {
      file.detachProducer(slot);
      throw file.corrupt("bad broadcast position", "tail=" + tail + ", sequence=" + sequence);
    }
  }

  /** Returns the longest broadcast message of {@code file}: at most half its ring. */
  static int maxMessageLength(ChannelFile file) {
    return (int) Math.min(file.maxMessage(), file.capacity() / 2);
  }

  @Override
  public void transmit(MemorySegment message) {
    if (closed) {
      throw new ClosedException("broadcast sender is closed: file=" + file.path());
    }
    long length = message.byteSize();
    if (length > Math.max(maxPayload, maxMessage)) {
      throw new MessageTooLongException(
          "broadcast message too long: length="
              + length
              + ", maxMessageLength="
              + maxMessageLength()
              + ", file="
              + file.path());
    }
    try {
      if (length <= maxPayload) {
        writeRecord(TYPE_MESSAGE, message, 0, (int) length, -1);
      } else {
        int first = maxPayload - Integer.BYTES;
        writeRecord(TYPE_FIRST, message, 0, first, (int) length);
        long from = first;
        while (length - from > maxPayload) {
          writeRecord(TYPE_MIDDLE, message, from, maxPayload, -1);
          from += maxPayload;
        }
        writeRecord(TYPE_LAST, message, from, (int) (length - from), -1);
      }
      sequence++;
      LONG.setRelease(header, SEQUENCE_OFFSET, sequence);
      // No full fence here (the cost Idler explains); see Idler for why a
      // sleeper that this read misses still wakes within a millisecond.
      if ((int) INT.getAcquire(header, SLEEPERS_OFFSET) != 0) {
        file.signal(DATA_SIGNAL_OFFSET);
      }
      file.fence();
    } catch (InternalError | IllegalStateException e) {
      throw file.fault(e);
    }
  }

  /**
   * Writes one record of {@code type} holding {@code length} bytes of {@code message} from {@code
   * from}, after the int {@code prefix} when that is not negative, and publishes it.
   */
  private void writeRecord(int type, MemorySegment message, long from, int length, int prefix) {
    int extra = prefix >= 0 ? Integer.BYTES : 0;
    int recordLength = RECORD_HEADER_LENGTH + extra + length;
    int aligned = align(recordLength);
    long index = tail & mask;
    long toEnd = capacity - index;
    boolean pad = aligned > toEnd;
    LONG.setRelease(header, TAIL_INTENT_OFFSET, tail + aligned + (pad ? toEnd : 0));
    VarHandle.storeStoreFence();
    if (pad) {
      INT.set(ring, index + RECORD_LENGTH, (int) toEnd);
      INT.set(ring, index + RECORD_TYPE, TYPE_PADDING);
      LONG.set(ring, index + RECORD_TOKEN, -1L);
      tail += toEnd;
      index = 0;
    }
    INT.set(ring, index + RECORD_LENGTH, recordLength);
    INT.set(ring, index + RECORD_TYPE, type);
    LONG.set(ring, index + RECORD_TOKEN, sequence);
    if (prefix >= 0) {
      INT.set(ring, index + RECORD_HEADER_LENGTH, prefix);
    }
    MemorySegment.copy(message, from, ring, index + RECORD_HEADER_LENGTH + extra, length);
    if (type == TYPE_MESSAGE || type == TYPE_FIRST) {
      // A lapped receiver jumps here: to the start of the latest message, not into its middle.
      LONG.setRelease(header, LATEST_OFFSET, tail);
    }
    tail += aligned;
    LONG.setRelease(header, TAIL_OFFSET, tail);
  }

  @Override
  public void transmit(byte[] message, int offset, int length) {
    transmit(MemorySegment.ofArray(message).asSlice(offset, length));
  }

  @Override
  public int maxMessageLength() {
    return Math.max(maxPayload, maxMessage);
  }

  @Override
  public Path path() {
    return file.path();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      file.detachProducer(slot);
    } finally {
      file.close();
    }
  }
}
