package dev.mmkit.ipc.internal;

import static dev.mmkit.ipc.ChannelLayout.DATA_SIGNAL_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.LATEST_OFFSET;
import static dev.mmkit.ipc.ChannelLayout.RECORD_HEADER_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.RECORD_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.RECORD_TOKEN;
import static dev.mmkit.ipc.ChannelLayout.RECORD_TYPE;
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
import dev.mmkit.ipc.BroadcastReceiver;
import dev.mmkit.ipc.MessageHandler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * BroadcastListener reads a broadcast ring. It copies each record into a private buffer, then
 * checks the tail intent: if the transmitter may have written over the record meanwhile, the copy
 * is thrown away and the listener jumps to the latest record. Lengths are checked before the copy;
 * a length that is out of bounds while the record was not overwritten means a corrupt file.
 *
 * <p>Fragments of a long message are put together in a buffer of the announced total length,
 * checked against the broadcast's maximum before it is allocated. Fragments whose first fragment
 * this receiver did not see (it attached or was lapped in between) are skipped, and the message
 * counts as lost.
 */
public final class BroadcastListener implements BroadcastReceiver {
  private final ChannelFile file;
  private final MemorySegment header;
  private final MemorySegment ring;
  private final long capacity;
  private final long mask;
  private final int maxRecord;
  private final int maxMessage;
  private final byte[] copy;
  private final MemorySegment copySegment;
  private byte[] assembly = new byte[0];
  private int assemblyTotal;
  private int assemblyReceived;
  private long assemblySequence = -1;
  private final Idler idler;
  private final BooleanSupplier messageReady;
  private long cursor;
  private long expected = -1;
  private long lost;
  private long laps;
  private boolean closed;

  /** Attaches a receiver to {@code file}, at the current end of the ring. */
  public BroadcastListener(ChannelFile file) {
    this.file = file;
    this.header = file.mapping().segment();
    this.ring = file.ring();
    this.capacity = file.capacity();
    this.mask = capacity - 1;
    this.maxRecord = file.maxRecord();
    this.maxMessage = BroadcastTransmitter.maxMessageLength(file);
    this.copy = new byte[maxRecord];
    this.copySegment = MemorySegment.ofArray(copy).asReadOnly();
    this.idler =
        new Idler(
            file, file.options().waitStrategy(), DATA_SIGNAL_OFFSET, SLEEPERS_OFFSET, () -> true);
    this.messageReady = () -> tail() > cursor;
    this.cursor = tail();
    if (cursor < 0 || (cursor & 15) != 0) {
      throw file.corrupt("bad broadcast position", "tail=" + cursor);
    }
  }

  private long tail() {
    return (long) LONG.getAcquire(header, TAIL_OFFSET);
  }

  private boolean overwritten(long position) {
    return (long) LONG.getVolatile(header, TAIL_INTENT_OFFSET) - position > capacity;
  }

  @Override
  public int poll(MessageHandler handler, int limit) {
    if (closed) {
      throw new ClosedException("broadcast receiver is closed: file=" + file.path());
    }
    int count = 0;
    try {
      while (count < limit) {
        long tail = tail();
        if (cursor >= tail) {
          // At the end, or jumped to a latest record whose tail is not published yet.
          break;
        }
        if (overwritten(cursor)) {
          lapped();
          continue;
        }
        long index = cursor & mask;
        int length = (int) INT.get(ring, index + RECORD_LENGTH);
        int type = (int) INT.get(ring, index + RECORD_TYPE);
        long sequence = (long) LONG.get(ring, index + RECORD_TOKEN);
        boolean fits =
            length >= RECORD_HEADER_LENGTH
                && length <= maxRecord
                && index + (long) align(length) <= capacity;
        boolean payload = type != TYPE_PADDING;
        if (fits && payload) {
          MemorySegment.copy(
              ring,
              ValueLayout.JAVA_BYTE,
              index + RECORD_HEADER_LENGTH,
              copy,
              0,
              length - RECORD_HEADER_LENGTH);
        }
        VarHandle.loadLoadFence();
        if (overwritten(cursor)) {
          lapped();
          continue;
        }
        if (!fits || type < TYPE_MESSAGE || type > TYPE_LAST || cursor + align(length) > tail) {
          // A record that runs past the published tail was not written by the transmitter, which
          // publishes the tail only after the whole record.
          throw file.corrupt(
              "bad broadcast record",
              "length=" + length + ", type=" + type + ", offset=" + index + ", tail=" + tail);
        }
        cursor += align(length);
        int size = payload ? accept(type, sequence, length - RECORD_HEADER_LENGTH) : -1;
        if (size >= 0) {
          if (expected >= 0 && sequence > expected) {
            lost += sequence - expected;
          }
          expected = sequence + 1;
          count++;
          if (type == TYPE_MESSAGE) {
            handler.onMessage(copySegment, 0, size);
          } else {
            handler.onMessage(MemorySegment.ofArray(assembly).asReadOnly(), 0, size);
          }
        }
      }
      file.fence();
    } catch (InternalError | IllegalStateException e) {
      throw file.fault(e);
    }
    return count;
  }

  /**
   * Takes the copied payload ({@code size} bytes) of a record of {@code type}; returns the length
   * of the message it completes, or -1 when it completes none.
   */
  private int accept(int type, long sequence, int size) {
    if (type == TYPE_MESSAGE) {
      assemblySequence = -1;
      return size;
    }
    if (type == TYPE_FIRST) {
      int total = size < Integer.BYTES ? -1 : copySegment.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
      if (total < 0 || total < size - Integer.BYTES || total > maxMessage) {
        throw file.corrupt(
            "bad broadcast record",
            "fragmented message length out of bounds: total=" + total + ", max=" + maxMessage);
      }
      if (assembly.length < total) {
        assembly = new byte[total];
      }
      assemblyTotal = total;
      assemblyReceived = 0;
      assemblySequence = sequence;
      append(Integer.BYTES, size - Integer.BYTES);
      return -1;
    }
    if (sequence != assemblySequence) {
      return -1; // its first fragment was not seen here: the message is lost
    }
    append(0, size);
    if (type == TYPE_MIDDLE) {
      return -1;
    }
    assemblySequence = -1;
    if (assemblyReceived != assemblyTotal) {
      throw file.corrupt(
          "bad broadcast record",
          "fragmented message shorter than announced: total="
              + assemblyTotal
              + ", received="
              + assemblyReceived);
    }
    return assemblyTotal;
  }

  private void append(int from, int size) {
    if (size > assemblyTotal - assemblyReceived) {
      throw file.corrupt(
          "bad broadcast record",
          "fragments longer than their message: total="
              + assemblyTotal
              + ", received="
              + assemblyReceived
              + ", fragment="
              + size);
    }
    System.arraycopy(copy, from, assembly, assemblyReceived, size);
    assemblyReceived += size;
  }

  private void lapped() {
    laps++;
    assemblySequence = -1;
    long latest = (long) LONG.getAcquire(header, LATEST_OFFSET);
    // The latest record may lie past the published tail by a padding record, briefly.
    if (latest < 0 || (latest & 15) != 0 || latest > tail() + maxRecord) {
      throw file.corrupt("bad latest broadcast position", "latest=" + latest + ", tail=" + tail());
    }
    BroadcastLapEvent event = new BroadcastLapEvent();
    if (event.isEnabled()) {
      event.channel = file.path().toString();
      event.skippedBytes = latest - cursor;
      event.laps = laps;
      event.commit();
    }
    cursor = latest;
  }

  @Override
  public int receive(MessageHandler handler, int limit, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    idler.reset();
    while (true) {
      int count = poll(handler, limit);
      if (count > 0 || System.nanoTime() - deadline >= 0) {
        return count;
      }
      idler.idle(messageReady, deadline);
    }
  }

  @Override
  public long lostMessages() {
    return lost;
  }

  @Override
  public long laps() {
    return laps;
  }

  @Override
  public boolean hasLiveTransmitter() {
    return file.liveProducers() > 0;
  }

  @Override
  public Path path() {
    return file.path();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      file.close();
    }
  }
}
