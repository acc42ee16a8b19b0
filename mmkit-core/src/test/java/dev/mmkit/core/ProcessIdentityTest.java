package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.core.testing.ChildJvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessIdentityTest {

  @Test
  void shouldIdentifyThisProcessAsAlive() {
    ProcessIdentity me = ProcessIdentity.current();
    assertThat(me.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(me.isAlive()).isTrue();
    assertThat(ProcessIdentity.pidOf(me.token())).isEqualTo(me.pid());
    assertThat(ProcessIdentity.of(me.pid())).contains(me);
  }

  @Test
  void shouldSeeAKilledChildAsDeadAndAReusedPidAsAnotherProcess() throws Exception {
    long token;
    try (ChildJvm child = ChildJvm.start(Sleeper.class)) {
      child.awaitLine("up", Duration.ofSeconds(60));
      token = ProcessIdentity.of(child.pid()).orElseThrow().token();
      assertThat(ProcessIdentity.isAlive(token)).isTrue();
      child.kill();
    }
    assertThat(ProcessIdentity.isAlive(token)).isFalse();
    ProcessIdentity me = ProcessIdentity.current();
    assertThat(new ProcessIdentity(me.pid(), me.startTime() + 1).isAlive()).isFalse();
    assertThat(ProcessIdentity.isAlive(0)).isFalse();
  }

  /** Child: prints "up" and sleeps until killed. */
  public static final class Sleeper {
    private Sleeper() {}

    /** Entry point. */
    public static void main(String[] args) throws InterruptedException {
      System.out.println("up");
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
