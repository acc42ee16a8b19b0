package dev.mmkit.ipc;

/**
 * ChannelLayout describes the bytes of a channel file: a 16 KiB header followed by a ring of {@code
 * capacity} bytes (a power of two). All numbers are in native byte order; every word is aligned to
 * its size. The same diagram is in {@code docs/IPC.md}.
 *
 * <pre>
 * Header (16384 bytes)
 *   0        8        12       16       20       24                32       36       40
 *   +--------+--------+--------+--------+--------+----------------+--------+--------+
 *   | magic  |version | kind   | header | slot   | capacity       | max    | max    |
 *   | 8      | 4      | 4      | length | count  | 8              | record | message|
 *   +--------+--------+--------+--------+--------+----------------+--------+--------+
 *   40               48               56       60       64
 *   +----------------+----------------+--------+--------+
 *   | file length    | creator token  | state  | header |  immutable once state = READY;
 *   | 8              | 8              | 4      | crc32c |  crc32c covers bytes 0..55
 *   +----------------+----------------+--------+--------+
 *   Each group of words written by one side lives in its own 128-byte block (two cache lines:
 *   adjacent-line prefetch pairs them), so a busy producer and consumer do not slow each other.
 *   128: consumer block (written by the consumer once per batch)
 *   +----------------+----------------+----------------+
 *   | head           | clean          | skipped claims |
 *   +----------------+----------------+----------------+
 *   128              136              144
 *   head: what the consumer has consumed; clean: up to where it has zeroed the ring behind it
 *   (clean &lt;= head). Producers may write up to clean + capacity.
 *   256: producer block (written by producers once per message)
 *   +----------------+----------------+
 *   | tail           | attach count   |
 *   +----------------+----------------+
 *   256              264
 *   384: consumer wake block (written when the consumer attaches, sleeps, wakes or closes)
 *   +----------------+--------+--------+
 *   | consumer token | sleep- | data   |
 *   |                | ers    | signal |
 *   +----------------+--------+--------+
 *   384              392      396
 *   consumer token: 0 = no consumer has attached yet; -1 = the last consumer closed its
 *   receiver; otherwise the token of the attached consumer (alive, or dead without closing).
 *   512: producer wake block (written when a producer finds the ring full)
 *   +--------+--------+--------+
 *   | space  | produc-| room   |
 *   | signal | ers    | wanted |
 *   |        | waiting|        |
 *   +--------+--------+--------+
 *   512      516      520
 *   640: broadcast block (broadcast only, written by the transmitter once per message)
 *   +----------------+----------------+----------------+
 *   | tail intent    | latest record  | next sequence  |
 *   +----------------+----------------+----------------+
 *   640              648              656
 *   4096: 64 process slots of 128 bytes (liveness and latest reservation of every producer)
 *   +----------------+----------------+----------------+------------------+
 *   | token          | claim position | claim length   | (reserved)       |
 *   +----------------+----------------+----------------+------------------+
 *   +0               +8               +16              +24..127
 *   12288..16383 reserved, zero
 *
 * Ring (capacity bytes, from offset 16384): records aligned to 16 bytes
 *   +--------+--------+----------------+------------------------------+
 *   | length | type   | token or seq.  | payload (length - 16 bytes)  |
 *   | 4      | 4      | 8              | padded to a multiple of 16   |
 *   +--------+--------+----------------+------------------------------+
 *   type: low 16 bits the record type, high 16 bits the producer's slot index
 *         (set by copy-in sends, read only on fragments, which are reassembled per
 *         producer; 0 on records written through a claim).
 *   length: 0 = nothing written yet; negative = claimed, being written by the producer whose
 *   token follows; positive = committed. Broadcast records carry a sequence number instead of
 *   a token and are always committed.
 * </pre>
 *
 * <p>Positions ({@code head}, {@code tail}, claim positions) count bytes since the channel was
 * created and only grow; a record lives at ring offset {@code position & (capacity - 1)}. A record
 * never wraps: a padding record fills the end of the ring instead. The consumer zeroes what it has
 * consumed (in batches: see {@link #CLEAN_OFFSET}), so a zero length always means "not written
 * yet".
 */
public final class ChannelLayout {
  /** Magic number at offset 0: the ASCII bytes {@code MMKITIPC} read as a big-endian long. */
  public static final long MAGIC = 0x4D4D_4B49_5449_5043L;

  /** Version of this layout. */
  public static final int VERSION = 1;

  /** Offset of the magic number (long). */
  public static final long MAGIC_OFFSET = 0;

  /** Offset of the layout version (int). */
  public static final long VERSION_OFFSET = 8;

  /** Offset of the channel kind (int): see {@link ChannelKind#code()}. */
  public static final long KIND_OFFSET = 12;

  /** Offset of the header length (int), always {@link #HEADER_LENGTH}. */
  public static final long HEADER_LENGTH_OFFSET = 16;

  /** Offset of the number of process slots (int), always {@link #SLOT_COUNT}. */
  public static final long SLOT_COUNT_OFFSET = 20;

  /** Offset of the ring capacity in bytes (long). */
  public static final long CAPACITY_OFFSET = 24;

  /** Offset of the largest record, header included (int): capacity / 8. */
  public static final long MAX_RECORD_OFFSET = 32;

  /** Offset of the largest message the channel reassembles from fragments (int). */
  public static final long MAX_MESSAGE_OFFSET = 36;

  /** Offset of the file length (long): header length plus capacity. */
  public static final long FILE_LENGTH_OFFSET = 40;

  /** Offset of the token of the process that initialised the channel (long). */
  public static final long CREATOR_OFFSET = 48;

  /** Offset of the initialisation state (int): 0 fresh, 1 initialising, 2 ready. */
  public static final long STATE_OFFSET = 56;

  /** Offset of the CRC32C of bytes 0 to 55 (int). */
  public static final long HEADER_CHECKSUM_OFFSET = 60;

  /** Number of header bytes the checksum covers. */
  public static final int CHECKSUMMED_LENGTH = 56;

  /** State of a zeroed file nobody has started to initialise. */
  public static final int STATE_FRESH = 0;

  /** State while one process writes the header. */
  public static final int STATE_INITIALISING = 1;

  /** State once the header is complete; it never changes again. */
  public static final int STATE_READY = 2;

  /** Offset of the consumer position (long). */
  public static final long HEAD_OFFSET = 128;

  /**
   * Offset of the token of the attached consumer (long): 0 before any consumer attached, {@link
   * #CONSUMER_CLOSED} after the last one closed its receiver.
   */
  public static final long CONSUMER_TOKEN_OFFSET = 384;

  /** Consumer token left by a consumer that closed its receiver: no process has this token. */
  public static final long CONSUMER_CLOSED = -1;

  /** Offset of the number of receivers asleep on the data signal (int). */
  public static final long SLEEPERS_OFFSET = 392;

  /** Offset of the futex word receivers sleep on; producers bump it to wake them (int). */
  public static final long DATA_SIGNAL_OFFSET = 396;

  /**
   * Offset of the clean position (long): the ring is zeroed up to here, and producers may write up
   * to this plus the capacity. It trails the head by at most a quarter of the ring, so that a
   * consumer keeping pace with its producer does not zero each record right after reading it.
   */
  public static final long CLEAN_OFFSET = 136;

  /** Offset of the number of claims skipped because their producer died (long). */
  public static final long SKIPPED_OFFSET = 144;

  /** Offset of the producer position (long). */
  public static final long TAIL_OFFSET = 256;

  /** Offset of the futex word producers waiting for space sleep on (int). */
  public static final long SPACE_SIGNAL_OFFSET = 512;

  /** Offset of the number of producers asleep waiting for space (int). */
  public static final long PRODUCERS_WAITING_OFFSET = 516;

  /** Offset of the flag a producer sets when it finds the ring full (int): zero it now, please. */
  public static final long ROOM_WANTED_OFFSET = 520;

  /** Offset of the number of times a producer attached (long). */
  public static final long ATTACH_COUNT_OFFSET = 264;

  /** Offset of the broadcast tail intent: where the transmitter is about to write up to (long). */
  public static final long TAIL_INTENT_OFFSET = 640;

  /**
   * Offset of the broadcast position of the latest message's record, or of its first fragment when
   * it is fragmented (long).
   */
  public static final long LATEST_OFFSET = 648;

  /** Offset of the broadcast sequence number the next message gets (long). */
  public static final long SEQUENCE_OFFSET = 656;

  /** Offset of the first process slot. */
  public static final long SLOTS_OFFSET = 4096;

  /** Number of process slots. */
  public static final int SLOT_COUNT = 64;

  /** Length of one process slot. */
  public static final int SLOT_LENGTH = 128;

  /** Offset in a slot of the token of the process holding it (long), 0 when free. */
  public static final long SLOT_TOKEN = 0;

  /** Offset in a slot of the position of the producer's latest reservation (long). */
  public static final long SLOT_CLAIM_POSITION = 8;

  /** Offset in a slot of the length of the producer's latest reservation (long). */
  public static final long SLOT_CLAIM_LENGTH = 16;

  /** Length of the header; the ring starts here. */
  public static final int HEADER_LENGTH = 16384;

  /** Length of a record header. */
  public static final int RECORD_HEADER_LENGTH = 16;

  /** Alignment of records in the ring. */
  public static final int RECORD_ALIGNMENT = 16;

  /** Offset in a record of its length (int). */
  public static final int RECORD_LENGTH = 0;

  /** Offset in a record of its type (int). */
  public static final int RECORD_TYPE = 4;

  /** Offset in a record of the producer token, or the broadcast sequence number (long). */
  public static final int RECORD_TOKEN = 8;

  /** Mask of the record type in the type word; the bits above hold the producer's slot. */
  public static final int TYPE_MASK = 0xFFFF;

  /** Shift of the producer slot index in the type word. */
  public static final int SLOT_SHIFT = 16;

  /** Record type: a whole message. */
  public static final int TYPE_MESSAGE = 1;

  /** Record type: filler up to the end of the ring, or an aborted claim. */
  public static final int TYPE_PADDING = 2;

  /** Record type: first fragment of a long message; its payload starts with the total length. */
  public static final int TYPE_FIRST = 3;

  /** Record type: a middle fragment. */
  public static final int TYPE_MIDDLE = 4;

  /** Record type: the last fragment. */
  public static final int TYPE_LAST = 5;

  /** Smallest ring capacity. */
  public static final long MIN_CAPACITY = 4096;

  /** Largest ring capacity (1 GiB), so that a record length always fits an int. */
  public static final long MAX_CAPACITY = 1L << 30;

  /** Largest message any channel reassembles: 1 GiB minus one. */
  public static final int MAX_MESSAGE_LIMIT = (1 << 30) - 1;

  private ChannelLayout() {}

  /** Returns the offset of process slot {@code index}. */
  public static long slotOffset(int index) {
    return SLOTS_OFFSET + (long) index * SLOT_LENGTH;
  }

  /** Returns {@code length} rounded up to the record alignment. */
  public static int align(int length) {
    return (length + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
  }

  /** Returns the largest record (header included) of a ring of {@code capacity} bytes. */
  public static int maxRecordLength(long capacity) {
    return (int) (capacity / 8);
  }
}
