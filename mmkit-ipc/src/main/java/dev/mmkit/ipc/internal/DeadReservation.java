package dev.mmkit.ipc.internal;

import static dev.mmkit.ipc.ChannelLayout.RECORD_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.RECORD_TYPE;
import static dev.mmkit.ipc.ChannelLayout.SLOT_CLAIM_LENGTH;
import static dev.mmkit.ipc.ChannelLayout.SLOT_CLAIM_POSITION;
import static dev.mmkit.ipc.ChannelLayout.SLOT_COUNT;
import static dev.mmkit.ipc.ChannelLayout.SLOT_SHIFT;
import static dev.mmkit.ipc.ChannelLayout.SLOT_TOKEN;
import static dev.mmkit.ipc.ChannelLayout.TYPE_LAST;
import static dev.mmkit.ipc.ChannelLayout.TYPE_MASK;
import static dev.mmkit.ipc.ChannelLayout.TYPE_MESSAGE;
import static dev.mmkit.ipc.ChannelLayout.align;
import static dev.mmkit.ipc.ChannelLayout.slotOffset;
import static dev.mmkit.ipc.internal.ChannelFile.INT;

import dev.mmkit.core.ProcessIdentity;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * DeadReservation decides what the consumer skips at a position the tail has passed but where no
 * record header is written yet: space a producer reserved and has not written, maybe because it
 * died. The producer slots say who: each names its producer's latest reservation, written before
 * the producer moves the tail. While any producer whose slot covers the position lives, the
 * consumer waits; once all of them are dead, it skips the reservation.
 *
 * <p>Usually one slot covers the position. Two or more do when producers died in the same few
 * instructions: a producer killed after writing its slot but before its compare-and-set on the tail
 * leaves a slot naming space it never won, beside the slot of the producer that won it. Such a
 * loser never wrote anything in the ring. Each candidate reservation is then tested: it must end at
 * or before the tail, and from its end to the tail the ring must read as a chain of whole records
 * and reservations of other producers. A loser whose claim is shorter than the winner's ends inside
 * the winner's unwritten space, where no chain starts; one whose claim is longer ends past the
 * tail, or, when records written after the winner happen to end exactly where the loser's claim
 * ends, passes too. So the shortest reservation that passes is the winner's. (Only the winner's own
 * half-copied payload reading as a chain of record headers up to a record boundary could fool
 * this.) When none passes, the file was tampered with: {@link dev.mmkit.core.CorruptException}.
 */
final class DeadReservation {
  private final ChannelFile file;
  private final MemorySegment ring;
  private final long capacity;
  private final long mask;
  private final int maxRecord;
  private final long[] tokens = new long[SLOT_COUNT];
  private final long[] starts = new long[SLOT_COUNT];
  private final long[] lengths = new long[SLOT_COUNT];
  private final boolean[] candidate = new boolean[SLOT_COUNT];

  /** Steps left to the search for a chain; bounds the work a tampered file can cause. */
  private long budget;

  DeadReservation(ChannelFile file) {
    this.file = file;
    this.ring = file.ring();
    this.capacity = file.capacity();
    this.mask = capacity - 1;
    this.maxRecord = file.maxRecord();
  }

  /**
   * Returns how many bytes to skip at {@code position} (below {@code tail}, its length word read as
   * zero), or 0 to wait: a live producer may still write there (unless {@code liveCountsAsDead}),
   * the header was written meanwhile, or no slot covering it is visible yet. Before returning a
   * skip, hands the token of every dead producer whose slot covered the position to {@code died}.
   */
  long skipAt(long position, long tail, boolean liveCountsAsDead, LongConsumer died) {
    readSlots();
    int candidates = 0;
    for (int i = 0; i < SLOT_COUNT; i++) {
      candidate[i] = tokens[i] != 0 && covers(i, position);
      if (candidate[i]) {
        if (ProcessIdentity.isAlive(tokens[i]) && !liveCountsAsDead) {
          return 0;
        }
        candidates++;
      }
    }
    if (candidates == 0 || (int) INT.getVolatile(ring, (position & mask) + RECORD_LENGTH) != 0) {
      // Reserved by a producer whose slot is not visible yet, or written meanwhile: look again.
      return 0;
    }
    long end = end(position, tail);
    for (int i = 0; i < SLOT_COUNT; i++) {
      if (candidate[i]) {
        died.accept(tokens[i]);
      }
    }
    return end - position;
  }

  private void readSlots() {
    for (int i = 0; i < SLOT_COUNT; i++) {
      long slot = slotOffset(i);
      tokens[i] = file.getLong(slot + SLOT_TOKEN);
      starts[i] = file.getLong(slot + SLOT_CLAIM_POSITION);
      lengths[i] = file.getLong(slot + SLOT_CLAIM_LENGTH);
    }
  }

  private boolean covers(int slot, long position) {
    return starts[slot] <= position && position - starts[slot] < lengths[slot];
  }

  /** Returns where the reservation at {@code position} ends, choosing among the candidates. */
  private long end(long position, long tail) {
    long[] ends = new long[SLOT_COUNT];
    int distinct = 0;
    for (int i = 0; i < SLOT_COUNT; i++) {
      long end = starts[i] + lengths[i];
      if (candidate[i] && Arrays.stream(ends, 0, distinct).noneMatch(e -> e == end)) {
        ends[distinct++] = end;
      }
    }
    long chosen = Long.MAX_VALUE;
    int passing = 0;
    budget = 4 * (capacity / 16 + SLOT_COUNT * SLOT_COUNT);
    for (int i = 0; i < distinct; i++) {
      if (distinct == 1 || (ends[i] <= tail && chainsToTail(ends[i], tail))) {
        chosen = Math.min(chosen, ends[i]);
        passing++;
      }
    }
    if (passing == 0 || chosen > tail || (chosen & 15) != 0) {
      throw file.corrupt(
          "cannot tell which dead producer reserved the consumer position",
          "head="
              + position
              + ", tail="
              + tail
              + ", ends="
              + Arrays.toString(Arrays.copyOf(ends, distinct))
              + ", consistent="
              + passing);
    }
    return chosen;
  }

  /**
   * Says whether the ring from {@code from} to {@code tail} reads as whole records (committed or
   * claimed) and reservations of producers other than the candidates, ending exactly at the tail.
   * Where several of those producers' slots cover an unwritten position (one of them retrying after
   * losing the race for it), each is tried.
   */
  private boolean chainsToTail(long from, long tail) {
    long at = from;
    while (at < tail) {
      if (--budget < 0) {
        return false;
      }
      long index = at & mask;
      int length = (int) INT.getVolatile(ring, index + RECORD_LENGTH);
      if (length == 0) {
        for (int i = 0; i < SLOT_COUNT; i++) {
          long end = starts[i] + lengths[i];
          if (!candidate[i] && tokens[i] != 0 && covers(i, at) && chainsToTail(end, tail)) {
            return true;
          }
        }
        return false;
      }
      int size = length > 0 ? length : -length;
      int typeWord = (int) INT.getVolatile(ring, index + RECORD_TYPE);
      int type = typeWord & TYPE_MASK;
      boolean header =
          size >= 16
              && size <= maxRecord
              && index + align(size) <= capacity
              && type >= TYPE_MESSAGE
              && type <= TYPE_LAST
              && typeWord >>> SLOT_SHIFT < SLOT_COUNT;
      if (!header) {
        return false;
      }
      at += align(size);
    }
    return at == tail;
  }
}
