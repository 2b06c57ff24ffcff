package io.railrush.kit.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A separate JVM running a test main class on the test class path: a second "node" to kill. */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final BufferedReader stdout;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  public static ChildJvm start(Class<?> mainClass, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new ChildJvm(process, log);
  }

  /** The next line the child prints, or an exception if it exits first. */
  public String readLine() throws IOException {
    String line = stdout.readLine();
    if (line == null) {
      String errors = java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : "";
      throw new IOException(
          "child exited without output; its stderr:\n"
              + errors.substring(Math.max(0, errors.length() - 4_000)));
    }
    return line;
  }

  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("child did not finish in " + timeout);
    }
    return process.exitValue();
  }

  /** Sends a signal by name ({@code STOP}, {@code CONT}): a stalled process, not a dead one. */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** SIGKILL: no shutdown hooks, no lock release — the lease or session must free what it held. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
