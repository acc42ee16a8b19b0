/**
 * An embedded, transactional key-value store: a copy-on-write B+tree in one memory-mapped file, one
 * writer and many lock-free readers across threads and processes, checksummed pages and crash
 * safety through two meta pages.
 */
module dev.mmkit.kv {
  requires transitive dev.mmkit.core;
  requires jdk.jfr;

  exports dev.mmkit.kv;
  exports dev.mmkit.kv.typed;
}
