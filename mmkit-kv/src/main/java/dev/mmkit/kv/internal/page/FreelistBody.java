package dev.mmkit.kv.internal.page;

import dev.mmkit.core.FullException;
import java.util.Map;
import java.util.NavigableMap;

/**
 * FreelistBody is what one record of the freelist chain says: a {@link Delta}, what one commit
 * changed, or a {@link Checkpoint}, the whole state. It writes itself into the record's longs in
 * the order {@link FreelistLayout} draws; {@link FreelistRecord} frames those longs in pages and
 * decodes them back ({@link FreelistRecord#body}).
 *
 * <p>{@link FreelistRecord#body} checks every count against the longs left and every run against
 * the page ids a record may name (at least 2, below its page count where the record alone knows
 * it). A delta's runs may reach past its own page count (pages freed by a commit that shrank the
 * file), so checking them against the page count before the delta is left to whoever replays it.
 */
public sealed interface FreelistBody {
  /** Returns the transaction that wrote the record. */
  long txid();

  /** Returns the page count after the record's commit. */
  long pageCount();

  /** Returns the runs of pages the record's commit wrote, besides the record's own pages. */
  long[] writtenRuns();

  /** Returns {@link FreelistLayout#DELTA} or {@link FreelistLayout#CHECKPOINT}. */
  int kind();

  /**
   * Returns the number of longs the record holds, its header included.
   *
   * @throws FullException when a checkpoint would be too large to write
   */
  int length();

  /** Writes the body after the record's header and txid: {@code out} has {@link #length} longs. */
  void encodeInto(long[] out);

  /**
   * Delta is the record of a commit that appended to the chain.
   *
   * @param txid the commit
   * @param pageCount the page count after it
   * @param matured pending groups with a txid up to this one became free at this commit
   * @param writtenRuns runs of the pages it wrote
   * @param freedRuns runs of the pages it freed: the pending group of its txid
   */
  record Delta(long txid, long pageCount, long matured, long[] writtenRuns, long[] freedRuns)
      implements FreelistBody {
    @Override
    public int kind() {
      return FreelistLayout.DELTA;
    }

    @Override
    public int length() {
      return FreelistLayout.DELTA_WRITTEN + writtenRuns.length + freedRuns.length;
    }

    @Override
    public void encodeInto(long[] out) {
      out[1] = txid;
      out[2] = pageCount;
      out[3] = matured;
      out[4] = writtenRuns.length;
      out[5] = freedRuns.length;
      System.arraycopy(writtenRuns, 0, out, FreelistLayout.DELTA_WRITTEN, writtenRuns.length);
      System.arraycopy(
          freedRuns, 0, out, FreelistLayout.DELTA_WRITTEN + writtenRuns.length, freedRuns.length);
    }
  }

  /**
   * Checkpoint is the record of a commit that started the chain over: the whole state.
   *
   * @param txid the commit
   * @param pageCount the page count after it
   * @param writtenRuns runs of the pages it wrote
   * @param freeRuns runs of the free pages
   * @param pendingRuns runs of the pages freed but maybe still seen by a reader, per freeing txid
   */
  record Checkpoint(
      long txid,
      long pageCount,
      long[] writtenRuns,
      long[] freeRuns,
      NavigableMap<Long, long[]> pendingRuns)
      implements FreelistBody {
    @Override
    public int kind() {
      return FreelistLayout.CHECKPOINT;
    }

    @Override
    public int length() {
      long n = 6L + writtenRuns.length + freeRuns.length;
      for (long[] runs : pendingRuns.values()) {
        n += 2 + runs.length;
      }
      if (n > Integer.MAX_VALUE / 2) {
        throw new FullException("freelist too large: longs=" + n);
      }
      return (int) n;
    }

    @Override
    public void encodeInto(long[] out) {
      int at = 1;
      out[at++] = txid;
      out[at++] = pageCount;
      at = put(out, at, writtenRuns);
      at = put(out, at, freeRuns);
      out[at++] = pendingRuns.size();
      for (Map.Entry<Long, long[]> group : pendingRuns.entrySet()) {
        out[at++] = group.getKey();
        at = put(out, at, group.getValue());
      }
    }

    private static int put(long[] out, int at, long[] runs) {
      out[at++] = runs.length;
      System.arraycopy(runs, 0, out, at, runs.length);
      return at + runs.length;
    }
  }
}
