package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TruncationFaultEventTest records {@code mmkit.core.TruncationFault} with {@code jdk.jfr} while a
 * read runs past the end of a file shrunk under its mapping, and reads the event back.
 */
class TruncationFaultEventTest {
  @TempDir Path dir;

  @Test
  void shouldRecordEachTruncationFaultTheCallerSees() throws Exception {
    Path path = dir.resolve("shrunk.dat");
    Path dump = dir.resolve("events.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("mmkit.core.TruncationFault");
      recording.start();
      try (MappedFile file = MappedFile.create(path, 1 << 20);
          Mapping mapping = file.map()) {
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
          raf.setLength(8192);
        }
        assertThatThrownBy(() -> mapping.getLong(500_000)).isInstanceOf(TruncatedException.class);
      }
      recording.stop();
      recording.dump(dump);
    }
    List<RecordedEvent> events =
        RecordingFile.readAllEvents(dump).stream()
            .filter(e -> e.getEventType().getName().equals("mmkit.core.TruncationFault"))
            .toList();
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getString("file")).isEqualTo(path.toString());
              assertThat(e.getLong("offset")).isEqualTo(500_000);
              assertThat(e.getLong("length")).isEqualTo(8);
              assertThat(e.getLong("fileSize")).isEqualTo(8192);
              assertThat(e.getStackTrace()).isNotNull();
            });
    assertThat(Files.size(dump)).isPositive();
  }
}
