package dev.mmkit.core;

class FallbackNativeAccessTest extends NativeAccessContract {
  private final FallbackNativeAccess fallback = new FallbackNativeAccess("contract test");

  @Override
  NativeAccess access() {
    return fallback;
  }
}
