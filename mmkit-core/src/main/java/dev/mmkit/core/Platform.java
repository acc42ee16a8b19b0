package dev.mmkit.core;

import java.util.Set;

/**
 * Platform tells what this JVM and operating system let mmkit do. Features that are not live
 * degrade as {@link Feature} documents instead of failing; this class lets a caller know in
 * advance.
 */
public final class Platform {
  private Platform() {}

  /** Returns the features that work in this JVM. */
  public static Set<Feature> liveFeatures() {
    return NativeAccess.instance().features();
  }

  /** Returns whether {@code feature} works in this JVM. */
  public static boolean isLive(Feature feature) {
    return liveFeatures().contains(feature);
  }

  /** Returns the size of a virtual memory page in bytes. */
  public static long pageSize() {
    return NativeAccess.instance().pageSize();
  }

  /**
   * Returns why native features are off (for example "native access is not enabled; run java with
   * --enable-native-access=..."), or an empty string when they are on.
   */
  public static String nativeAccessProblem() {
    String reason = NativeAccess.instance().unavailableReason();
    return reason == null ? "" : reason;
  }

  /**
   * Returns how mmkit surfaces a memory fault inside the accessor that caused it: {@code
   * return-poll} (a call the JIT never inlines, on HotSpot) or {@code native} (a trivial native
   * call; forced with {@code -Ddev.mmkit.faultFence=native}).
   */
  public static String faultFence() {
    return FaultFence.mechanism();
  }
}
