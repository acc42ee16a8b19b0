package dev.mmkit.core;

/**
 * ReturnPoll is a method the JIT compiler never inlines, so that calling it reaches the safepoint
 * poll HotSpot puts at every compiled method's return. A memory fault in compiled code does not
 * throw at once: HotSpot records it and delivers the {@link InternalError} at the thread's next
 * poll or transition. Passing through this return makes the fault surface right here, for about the
 * cost of a call, a fraction of a native call's thread transition.
 *
 * <p>HotSpot's C2 compiler does not inline a method whose bytecode is larger than {@code
 * FreqInlineSize} (325 bytes by default), C1 none larger than {@code MaxInlineSize} (35). The
 * {@code switch} below exists only to make {@link #pass} about 800 bytes long, well past both; it
 * runs only for a {@code marker} other than 0, which mmkit never passes. {@code ReturnPollTest}
 * checks the size. {@link FaultFence} uses a native call instead when the JVM is not HotSpot or
 * when told to with {@code -Ddev.mmkit.faultFence=native}.
 */
final class ReturnPoll {
  /** The smallest bytecode size that keeps {@link #pass} out of reach of inlining, with margin. */
  static final int MINIMUM_SIZE = 2 * 325;

  private static int sink;

  private ReturnPoll() {}

  /**
   * Returns {@code value} at once for {@code marker == 0}; see the class comment. Handing the value
   * through the call, instead of holding it in the caller across the call, keeps the caller's
   * compiled code free of a value that must survive a call: HotSpot's compiled code saves no
   * register across a call, and C2 was seen to keep the accumulator of the caller's whole preceding
   * loop in a stack slot because of one (several times slower loops, in {@link Mapping#guard}).
   */
  static <T> T pass(T value, int marker) {
    if (marker == 0) {
      return value;
    }
    switch (marker) {
      case 1 -> sink = sink * 31 + 1;
      case 2 -> sink = sink * 31 + 920;
      case 3 -> sink = sink * 31 + 839;
      case 4 -> sink = sink * 31 + 758;
      case 5 -> sink = sink * 31 + 677;
      case 6 -> sink = sink * 31 + 596;
      case 7 -> sink = sink * 31 + 515;
      case 8 -> sink = sink * 31 + 434;
      case 9 -> sink = sink * 31 + 353;
      case 10 -> sink = sink * 31 + 272;
      case 11 -> sink = sink * 31 + 191;
      case 12 -> sink = sink * 31 + 110;
      case 13 -> sink = sink * 31 + 29;
      case 14 -> sink = sink * 31 + 948;
      case 15 -> sink = sink * 31 + 867;
      case 16 -> sink = sink * 31 + 786;
      case 17 -> sink = sink * 31 + 705;
      case 18 -> sink = sink * 31 + 624;
      case 19 -> sink = sink * 31 + 543;
      case 20 -> sink = sink * 31 + 462;
      case 21 -> sink = sink * 31 + 381;
      case 22 -> sink = sink * 31 + 300;
      case 23 -> sink = sink * 31 + 219;
      case 24 -> sink = sink * 31 + 138;
      case 25 -> sink = sink * 31 + 57;
      case 26 -> sink = sink * 31 + 976;
      case 27 -> sink = sink * 31 + 895;
      case 28 -> sink = sink * 31 + 814;
      case 29 -> sink = sink * 31 + 733;
      case 30 -> sink = sink * 31 + 652;
      case 31 -> sink = sink * 31 + 571;
      case 32 -> sink = sink * 31 + 490;
      case 33 -> sink = sink * 31 + 409;
      case 34 -> sink = sink * 31 + 328;
      case 35 -> sink = sink * 31 + 247;
      case 36 -> sink = sink * 31 + 166;
      case 37 -> sink = sink * 31 + 85;
      case 38 -> sink = sink * 31 + 4;
      case 39 -> sink = sink * 31 + 923;
      case 40 -> sink = sink * 31 + 842;
      case 41 -> sink = sink * 31 + 761;
      case 42 -> sink = sink * 31 + 680;
      case 43 -> sink = sink * 31 + 599;
      case 44 -> sink = sink * 31 + 518;
      case 45 -> sink = sink * 31 + 437;
      case 46 -> sink = sink * 31 + 356;
      case 47 -> sink = sink * 31 + 275;
      case 48 -> sink = sink * 31 + 194;
      default -> sink = 0;
    }
    return value;
  }
}
