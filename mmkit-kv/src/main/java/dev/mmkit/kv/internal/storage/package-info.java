/**
 * The files of a database and what one process keeps about them: the data file behind {@link
 * dev.mmkit.kv.internal.storage.StoreFile} with its mapping generations, meta pages, page caches
 * and write side, the lock file with the writer lock and the reader table, the {@link
 * dev.mmkit.kv.internal.storage.Snapshot}s transactions read through, the free-page state the
 * writer keeps between commits, and the backup copy. It reads and writes pages only through the
 * codecs of {@code internal.page}.
 */
package dev.mmkit.kv.internal.storage;
