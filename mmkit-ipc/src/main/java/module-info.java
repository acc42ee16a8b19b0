/**
 * Channels between local processes over shared memory: one-to-one and many-to-one rings, a
 * one-to-many broadcast, waits that sleep on a futex, and recovery from peers that died.
 */
module dev.mmkit.ipc {
  requires transitive dev.mmkit.core;
  requires jdk.jfr;

  exports dev.mmkit.ipc;
}
