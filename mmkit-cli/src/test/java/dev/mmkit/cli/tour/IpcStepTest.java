package dev.mmkit.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpcStepTest {
  @TempDir Path directory;

  @Test
  void shouldExchangeMessagesWithASecondJvmAndReportLatency() throws Exception {
    StringWriter text = new StringWriter();
    new IpcStep().run(new TourContext(directory, new PrintWriter(text)));
    assertThat(text.toString())
        .contains("5,000 round trips of 32 bytes")
        .contains("median")
        .contains("messages/s each way");
  }
}
