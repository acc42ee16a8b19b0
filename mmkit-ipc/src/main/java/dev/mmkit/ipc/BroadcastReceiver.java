package dev.mmkit.ipc;

import java.nio.file.Path;
import java.time.Duration;

/**
 * BroadcastReceiver is one of any number of receivers of a {@link OneToManyBroadcast}. It sees
 * every message transmitted after it attached, unless the transmitter laps it: then it jumps to the
 * latest message and counts the ones it missed in {@link #lostMessages()} and the jump in {@link
 * #laps()}. It never hands out torn data: each message is copied out of the ring and checked not to
 * have been overwritten during the copy before the handler sees it.
 */
public interface BroadcastReceiver extends AutoCloseable {

  /**
   * Hands up to {@code limit} messages to {@code handler} and returns how many. The view the
   * handler gets is a copy private to this receiver, valid until the handler returns.
   *
   * @throws dev.mmkit.core.CorruptException when the ring holds a record that cannot be valid
   */
  int poll(MessageHandler handler, int limit);

  /** Like {@link #poll} but waits at most {@code timeout} for the first message; 0 if none came. */
  int receive(MessageHandler handler, int limit, Duration timeout);

  /** Returns how many messages this receiver missed because the transmitter lapped it. */
  long lostMessages();

  /** Returns how many times the transmitter lapped this receiver. */
  long laps();

  /** Returns whether the transmitter recorded in the header is alive (reads {@code /proc}). */
  boolean hasLiveTransmitter();

  /** Returns the channel file. */
  Path path();

  /** Detaches and unmaps. Idempotent. */
  @Override
  void close();
}
