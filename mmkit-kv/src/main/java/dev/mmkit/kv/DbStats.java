package dev.mmkit.kv;

import java.nio.file.Path;

/**
 * DbStats describes the pages of a database at one commit, as {@link Db#stats()} found them.
 *
 * @param file the data file
 * @param fileSize the data file's size in bytes (at least {@code pageCount * pageSize})
 * @param pageSize the page size
 * @param pageCount pages that belong to the database
 * @param txid the commit described
 * @param branchPages branch pages of all buckets
 * @param leafPages leaf pages of all buckets
 * @param overflowPages pages holding large values
 * @param freelistPages pages of the freelist itself
 * @param freePages free pages, ready for reuse
 * @param pendingPages freed pages that a reader may still see, reused once it ends
 * @param buckets nested buckets, at any depth
 * @param keys keys in all buckets
 * @param depth height of the tallest bucket tree, in pages
 * @param fill bytes used in branch and leaf pages divided by their total size
 * @param readers read transactions open now, in all processes
 * @param oldestReaderLag commits made since the snapshot of the oldest read transaction open now,
 *     in any process (0 when none is older than the newest commit): while it is open, pages those
 *     commits freed cannot be reused
 * @param logSize the size in bytes of the write-ahead log file beside the data file ({@code
 *     NAME-wal}), written ahead up to {@link DbOptions#logSize}; 0 when there is none
 * @param logRecordBytes bytes of log records since the last checkpoint: what the first open after a
 *     restart of the machine would replay (0 right after a checkpoint)
 */
public record DbStats(
    Path file,
    long fileSize,
    int pageSize,
    long pageCount,
    long txid,
    long branchPages,
    long leafPages,
    long overflowPages,
    long freelistPages,
    long freePages,
    long pendingPages,
    long buckets,
    long keys,
    int depth,
    double fill,
    int readers,
    long oldestReaderLag,
    long logSize,
    long logRecordBytes) {}
