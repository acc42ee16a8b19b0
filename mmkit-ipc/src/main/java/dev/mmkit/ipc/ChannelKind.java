package dev.mmkit.ipc;

/** ChannelKind names the concurrency contract a channel file was created for. */
public enum ChannelKind {
  /** One producer and one consumer at a time: {@link OneToOneChannel}. */
  ONE_TO_ONE(1),
  /** Any number of producers in any processes, one consumer: {@link ManyToOneChannel}. */
  MANY_TO_ONE(2),
  /**
   * One transmitter, any number of receivers that each see every message: {@link
   * OneToManyBroadcast}.
   */
  ONE_TO_MANY(3);

  private final int code;

  ChannelKind(int code) {
    this.code = code;
  }

  /** Returns the number stored in the header at {@link ChannelLayout#KIND_OFFSET}. */
  public int code() {
    return code;
  }

  /** Returns the kind stored as {@code code}, or null when there is none. */
  public static ChannelKind of(int code) {
    for (ChannelKind kind : values()) {
      if (kind.code == code) {
        return kind;
      }
    }
    return null;
  }
}
