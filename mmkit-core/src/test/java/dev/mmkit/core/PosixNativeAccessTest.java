package dev.mmkit.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

class PosixNativeAccessTest extends NativeAccessContract {

  @BeforeAll
  static void requireNativeAccess() {
    assumeTrue(
        NativeAccess.instance() instanceof PosixNativeAccess,
        "the POSIX binding needs native access on Linux or macOS");
  }

  @Override
  NativeAccess access() {
    return NativeAccess.instance();
  }
}
