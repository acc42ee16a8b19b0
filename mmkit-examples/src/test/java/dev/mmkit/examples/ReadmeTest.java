package dev.mmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.examples.readme.HelloCore;
import dev.mmkit.examples.readme.HelloIpc;
import dev.mmkit.examples.readme.HelloKv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReadmeTest keeps the README's "Use it from Java" section true: its programs are the sources of
 * the examples module's readme package, which the build compiles, and they run and print what they
 * should; its Maven coordinates and {@code requires} lines name the real artifacts and modules.
 */
class ReadmeTest {
  private static final List<Class<?>> PROGRAMS =
      List.of(HelloCore.class, HelloIpc.class, HelloKv.class);

  @TempDir Path dir;

  private static String readme() throws Exception {
    return Files.readString(Path.of(System.getProperty("mmkit.examples.readme")));
  }

  @Test
  void shouldShowEachProgramAsItIsCompiled() throws Exception {
    String readme = readme();
    Path sources = Path.of(System.getProperty("mmkit.examples.sources"));
    for (Class<?> program : PROGRAMS) {
      String source =
          Files.readString(sources.resolve(program.getName().replace('.', '/') + ".java"));
      String shown = source.replaceFirst("\\Apackage [\\w.]+;\n\n", "");
      assertThat(shown).as(program.getSimpleName()).isNotEqualTo(source);
      assertThat(readme).as(program.getSimpleName()).contains("```java\n" + shown + "```\n");
    }
  }

  @Test
  void shouldNameTheRealArtifactsAndModules() throws Exception {
    String readme = readme();
    String moduleInfo =
        Files.readString(
            Path.of(System.getProperty("mmkit.examples.sources")).resolve("module-info.java"));
    for (String module : List.of("core", "ipc", "kv")) {
      assertThat(readme)
          .contains(
              "<groupId>dev.mmkit</groupId>\n  <artifactId>mmkit-"
                  + module
                  + "</artifactId>\n  <version>"
                  + System.getProperty("mmkit.examples.version")
                  + "</version>");
      assertThat(readme).contains("`requires dev.mmkit." + module + ";`");
      assertThat(moduleInfo).contains("requires dev.mmkit." + module + ";");
    }
  }

  @Test
  void shouldRunTheKvProgram() throws Exception {
    ExampleProcess.Result result =
        ExampleProcess.run(HelloKv.class, dir.resolve("hello.db").toString());
    assertThat(result.errors()).isEmpty();
    assertThat(result.lines()).containsExactly("42=alice");
  }

  @Test
  void shouldRunTheCoreProgram() throws Exception {
    Path file = dir.resolve("hello.bin");
    ExampleProcess.Result result = ExampleProcess.run(HelloCore.class, file.toString());
    assertThat(result.errors()).isEmpty();
    assertThat(result.lines()).singleElement().asString().startsWith("42, resident: ");
    assertThat(Files.size(file)).isEqualTo(1 << 20);
  }

  @Test
  void shouldRunTheIpcProgramAsTwoProcesses() throws Exception {
    String channel = "mmkit-hello-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    try (ExampleProcess receiver = ExampleProcess.start(HelloIpc.class, "receive", channel);
        ExampleProcess sender = ExampleProcess.start(HelloIpc.class, "send", channel)) {
      ExampleProcess.Result sent = sender.await(Duration.ofMinutes(1));
      ExampleProcess.Result received = receiver.await(Duration.ofMinutes(1));
      assertThat(sent.exitCode()).isZero();
      assertThat(sent.errors()).isEmpty();
      assertThat(received.errors()).isEmpty();
      assertThat(received.lines()).containsExactly("hello");
    } finally {
      Files.deleteIfExists(Path.of("/dev/shm", channel));
    }
  }
}
