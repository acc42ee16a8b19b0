package dev.mmkit.ipc.internal;

import static dev.mmkit.ipc.ChannelLayout.TYPE_FIRST;
import static dev.mmkit.ipc.ChannelLayout.TYPE_LAST;

import dev.mmkit.core.ProcessIdentity;
import dev.mmkit.ipc.MessageHandler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Assembler puts fragmented messages back together, one buffer per producer (fragments of different
 * producers interleave in a many-to-one ring). A first fragment carries the total length, which is
 * checked against the channel's maximum before any memory is allocated for it.
 */
final class Assembler {
  private final ChannelFile file;
  private final Map<Producer, Assembly> byProducer = new HashMap<>();
  private long dropped;

  Assembler(ChannelFile file) {
    this.file = file;
  }

  /** A producer: its process and its slot (threads of one process have one token each). */
  private record Producer(long token, int slot) {}

  /** One message being put together. */
  private static final class Assembly {
    byte[] buffer = new byte[0];
    int total;
    int received;
    boolean active;
  }

  /**
   * Adds the fragment of {@code type} at {@code offset} ({@code length} bytes) of {@code ring};
   * returns true when it completed a message, which was handed to {@code handler}.
   */
  boolean add(
      int type,
      long token,
      int slot,
      MemorySegment ring,
      long offset,
      int length,
      MessageHandler h) {
    Producer producer = new Producer(token, slot);
    Assembly assembly = byProducer.get(producer);
    if (type == TYPE_FIRST) {
      if (length < 4) {
        throw file.corrupt("first fragment too short", "length=" + length + ", offset=" + offset);
      }
      int total = ring.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
      if (total < 0 || total > file.maxMessage() || total < length - 4) {
        throw file.corrupt(
            "fragmented message length out of bounds",
            "total=" + total + ", maxMessage=" + file.maxMessage() + ", offset=" + offset);
      }
      if (assembly == null) {
        assembly = new Assembly();
        byProducer.put(producer, assembly);
      } else if (assembly.active) {
        dropped++;
      }
      if (assembly.buffer.length < total) {
        assembly.buffer = new byte[total];
      }
      assembly.total = total;
      assembly.received = 0;
      assembly.active = true;
      offset += 4;
      length -= 4;
    } else if (assembly == null || !assembly.active) {
      // The start of this message was skipped or was sent before this consumer attached.
      if (type == TYPE_LAST) {
        dropped++;
      }
      return false;
    }
    if (length > assembly.total - assembly.received) {
      throw file.corrupt(
          "fragments longer than their message",
          "total=" + assembly.total + ", received=" + assembly.received + ", fragment=" + length);
    }
    MemorySegment.copy(
        ring, ValueLayout.JAVA_BYTE, offset, assembly.buffer, assembly.received, length);
    assembly.received += length;
    if (type != TYPE_LAST) {
      return false;
    }
    assembly.active = false;
    if (assembly.received != assembly.total) {
      throw file.corrupt(
          "fragmented message shorter than announced",
          "total=" + assembly.total + ", received=" + assembly.received);
    }
    h.onMessage(MemorySegment.ofArray(assembly.buffer).asReadOnly(), 0, assembly.total);
    return true;
  }

  /** Drops the messages being assembled for the process {@code token}, which died. */
  void producerDied(long token) {
    dropProducers(t -> t == token);
  }

  /** Drops the messages of producers that are no longer alive. */
  void pruneDead() {
    dropProducers(t -> !ProcessIdentity.isAlive(t));
  }

  /** Forgets the producers whose token matches, counting their unfinished messages as dropped. */
  private void dropProducers(LongPredicate tokens) {
    Iterator<Map.Entry<Producer, Assembly>> entries = byProducer.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<Producer, Assembly> entry = entries.next();
      if (tokens.test(entry.getKey().token())) {
        if (entry.getValue().active) {
          dropped++;
        }
        entries.remove();
      }
    }
  }

  /** Returns how many messages were dropped unfinished. */
  long dropped() {
    return dropped;
  }
}
