package dev.mmkit.ipc;

/**
 * ChannelLayout describes the bytes of a channel file: a 4 KiB header followed by a ring of {@code
 * capacity} bytes (a power of two). All numbers are in native byte order; every word is aligned to
 * its size. The same diagram is in {@code docs/IPC.md}.
 *
 * <pre>
 * Header (4096 bytes)
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
 *   128: consumer line (written by the consumer once per batch)
 *   +----------------+----------------+
 *   | head           | skipped claims |
 *   +----------------+----------------+
 *   128              136
 *   192: consumer wake line (written when the consumer attaches, sleeps or wakes)
 *   +----------------+--------+--------+
 *   | consumer token | sleep- | data   |
 *   |                | ers    | signal |
 *   +----------------+--------+--------+
 *   192              200      204
 *   256: producer line (written by producers once per message)
 *   +----------------+----------------+
 *   | tail           | attach count   |
 *   +----------------+----------------+
 *   256              264
 *   320: producer wake line (written when a producer waits for room)
 *   +--------+--------+
 *   | space  | produc-|
 *   | signal | ers    |
 *   |        | waiting|
 *   +--------+--------+
 *   320      324
 *   384: broadcast line (broadcast only)
 *   +----------------+----------------+----------------+
 *   | tail intent    | latest record  | next sequence  |
 *   +----------------+----------------+----------------+
 *   384              392              400
 *   512: 64 process slots of 32 bytes (liveness of every attached producer)
 *   +----------------+----------------+----------------+----------------+
 *   | token          | claim position | claim length   | (reserved)     |
 *   +----------------+----------------+----------------+----------------+
 *   +0               +8               +16              +24
 *   2560..4095 reserved, zero
 *
 * Ring (capacity bytes, from offset 4096): records aligned to 16 bytes
 *   +--------+--------+----------------+------------------------------+
 *   | length | type   | token or seq.  | payload (length - 16 bytes)  |
 *   | 4      | 4      | 8              | padded to a multiple of 16   |
 *   +--------+--------+----------------+------------------------------+
 *   type: low 16 bits the record type, high 16 bits the producer's slot index.
 *   length: 0 = nothing written yet; negative = claimed, being written by the producer whose
 *   token follows; positive = committed. Broadcast records carry a sequence number instead of
 *   a token and are always committed.
 * </pre>
 *
 * <p>Positions ({@code head}, {@code tail}, claim positions) count bytes since the channel was
 * created and only grow; a record lives at ring offset {@code position & (capacity - 1)}. A record
 * never wraps: a padding record fills the end of the ring instead. The consumer zeroes what it has
 * consumed, so a zero length always means "not written yet".
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

  /** Offset of the token of the attached consumer, 0 when none (long). */
  public static final long CONSUMER_TOKEN_OFFSET = 192;

  /** Offset of the number of receivers asleep on the data signal (int). */
  public static final long SLEEPERS_OFFSET = 200;

  /** Offset of the futex word receivers sleep on; producers bump it to wake them (int). */
  public static final long DATA_SIGNAL_OFFSET = 204;

  /** Offset of the number of claims skipped because their producer died (long). */
  public static final long SKIPPED_OFFSET = 136;

  /** Offset of the producer position (long). */
  public static final long TAIL_OFFSET = 256;

  /** Offset of the futex word producers waiting for space sleep on (int). */
  public static final long SPACE_SIGNAL_OFFSET = 320;

  /** Offset of the number of producers asleep waiting for space (int). */
  public static final long PRODUCERS_WAITING_OFFSET = 324;

  /** Offset of the number of times a producer attached (long). */
  public static final long ATTACH_COUNT_OFFSET = 264;

  /** Offset of the broadcast tail intent: where the transmitter is about to write up to (long). */
  public static final long TAIL_INTENT_OFFSET = 384;

  /** Offset of the broadcast position of the latest complete record (long). */
  public static final long LATEST_OFFSET = 392;

  /** Offset of the broadcast sequence number the next message gets (long). */
  public static final long SEQUENCE_OFFSET = 400;

  /** Offset of the first process slot. */
  public static final long SLOTS_OFFSET = 512;

  /** Number of process slots. */
  public static final int SLOT_COUNT = 64;

  /** Length of one process slot. */
  public static final int SLOT_LENGTH = 32;

  /** Offset in a slot of the token of the process holding it (long), 0 when free. */
  public static final long SLOT_TOKEN = 0;

  /** Offset in a slot of the position of the producer's latest reservation (long). */
  public static final long SLOT_CLAIM_POSITION = 8;

  /** Offset in a slot of the length of the producer's latest reservation (long). */
  public static final long SLOT_CLAIM_LENGTH = 16;

  /** Length of the header; the ring starts here. */
  public static final int HEADER_LENGTH = 4096;

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
