/**
 * Example programs for mmkit, written as a user of the library would write them: a key-value store
 * program, a producer and a consumer that talk through a channel, and a program that maps a file
 * and survives its truncation.
 */
module dev.mmkit.examples {
  requires dev.mmkit.core;
  requires dev.mmkit.ipc;
  requires dev.mmkit.kv;
}
