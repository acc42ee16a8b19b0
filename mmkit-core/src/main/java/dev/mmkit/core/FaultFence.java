package dev.mmkit.core;

import java.util.Locale;

/**
 * FaultFence makes a memory fault that HotSpot left pending on the calling thread surface now, as
 * {@link InternalError}, so that the accessor that caused it can turn it into {@link
 * TruncatedException} before returning anything read from the faulting page.
 *
 * <p>Two ways do it. {@link ReturnPoll} (the default on HotSpot) is a call the JIT never inlines:
 * its return is a safepoint poll, where HotSpot delivers the fault; it costs about a call.
 * Otherwise a trivial native call (a thread transition) does it: several nanoseconds with native
 * access, or a JNI call without it.
 */
final class FaultFence {
  /** Name of the system property that, set to {@code native}, forces the native-call fence. */
  static final String PROPERTY = "dev.mmkit.faultFence";

  private static final boolean RETURN_POLL = chooseReturnPoll();
  private static final NativeAccess NATIVE = NativeAccess.instance();

  private FaultFence() {}

  /** Surfaces a pending fault of this thread as {@link InternalError}; otherwise does nothing. */
  static void surface() {
    if (RETURN_POLL) {
      ReturnPoll.pass(null, 0);
    } else {
      NATIVE.surfacePendingFault();
    }
  }

  /**
   * Surfaces a pending fault of this thread as {@link InternalError}, otherwise returns {@code
   * value}. Use it where the caller would otherwise hold a value across the fence (see {@link
   * ReturnPoll#pass}).
   */
  static <T> T surface(T value) {
    if (RETURN_POLL) {
      return ReturnPoll.pass(value, 0);
    }
    NATIVE.surfacePendingFault();
    return value;
  }

  /** Returns how faults are surfaced, for diagnostics: {@code return-poll} or {@code native}. */
  static String mechanism() {
    return RETURN_POLL ? "return-poll" : "native";
  }

  private static boolean chooseReturnPoll() {
    if ("native".equalsIgnoreCase(System.getProperty(PROPERTY))) {
      return false;
    }
    String vm = System.getProperty("java.vm.name", "").toLowerCase(Locale.ROOT);
    return vm.contains("hotspot") || vm.startsWith("openjdk");
  }
}
