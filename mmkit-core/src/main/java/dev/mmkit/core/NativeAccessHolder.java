package dev.mmkit.core;

/** NativeAccessHolder chooses the {@link NativeAccess} implementation once, on first use. */
final class NativeAccessHolder {
  static final NativeAccess INSTANCE = choose();

  private NativeAccessHolder() {}

  private static NativeAccess choose() {
    if ("false".equalsIgnoreCase(System.getProperty(NativeAccess.NATIVE_PROPERTY))) {
      return new FallbackNativeAccess(
          "native access turned off with -D" + NativeAccess.NATIVE_PROPERTY + "=false");
    }
    if (!NativeAccessHolder.class.getModule().isNativeAccessEnabled()) {
      return FallbackNativeAccess.withHint(
          "native access is not enabled; run java with --enable-native-access="
              + moduleName()
              + " for advice, residency, range sync, mlock and futex");
    }
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    PosixConstants constants = PosixConstants.forOs(os, System.getProperty("os.arch", ""));
    if (constants == null) {
      return FallbackNativeAccess.withHint("no native binding for os.name=" + os);
    }
    try {
      return new PosixNativeAccess(constants);
    } catch (RuntimeException | LinkageError e) {
      return FallbackNativeAccess.withHint("binding libc failed: " + e);
    }
  }

  private static String moduleName() {
    Module module = NativeAccessHolder.class.getModule();
    return module.isNamed() ? module.getName() : "ALL-UNNAMED";
  }
}
