package dev.mmkit.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.raft.RegisterChecker.Event;
import dev.mmkit.raft.RegisterChecker.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RegisterCheckerTest shows that the checker accepts linearizable histories and rejects others. */
class RegisterCheckerTest {
  @Test
  void shouldAcceptOverlappingWriteAndRead() {
    assertThat(
            RegisterChecker.isLinearizable(
                List.of(
                    new Event(Kind.WRITE, "a", null, true, 0, 10),
                    new Event(Kind.READ, "a", null, true, 5, 6),
                    new Event(Kind.READ, null, null, true, 1, 2))))
        .isTrue();
  }

  @Test
  void shouldRejectAStaleReadAfterAWriteAnswered() {
    assertThat(
            RegisterChecker.isLinearizable(
                List.of(
                    new Event(Kind.WRITE, "a", null, true, 0, 10),
                    new Event(Kind.WRITE, "b", null, true, 11, 20),
                    new Event(Kind.READ, "a", null, true, 21, 30))))
        .isFalse();
  }

  @Test
  void shouldRejectTwoCompareAndSetsThatBothWon() {
    assertThat(
            RegisterChecker.isLinearizable(
                List.of(
                    new Event(Kind.CAS, "x", null, true, 0, 10),
                    new Event(Kind.CAS, "y", null, true, 1, 11))))
        .isFalse();
  }

  @Test
  void shouldLetAnUnknownWriteTakeEffectLateOrNever() {
    List<Event> late =
        List.of(
            new Event(Kind.WRITE, "a", null, true, 0, Long.MAX_VALUE),
            new Event(Kind.READ, null, null, true, 5, 6),
            new Event(Kind.READ, "a", null, true, 50, 60));
    assertThat(RegisterChecker.isLinearizable(late)).isTrue();
    List<Event> never =
        List.of(
            new Event(Kind.WRITE, "a", null, true, 0, Long.MAX_VALUE),
            new Event(Kind.READ, null, null, true, 50, 60));
    assertThat(RegisterChecker.isLinearizable(never)).isTrue();
  }
}
