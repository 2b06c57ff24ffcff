package io.railrush.kit.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A redis-server of the test's own, on a free port, that the test may kill (SIGKILL) mid-run
 * without touching the machine's shared Redis.
 */
public final class RedisServerProcess implements AutoCloseable {

  private final Process process;
  private final int port;

  private RedisServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static RedisServerProcess start() throws IOException, InterruptedException {
    return startOn(freePort());
  }

  /** A new, empty server on {@code port} (a restart after {@link #kill}). */
  public static RedisServerProcess startOn(int port) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("railrush-redis");
    Process process =
        new ProcessBuilder(
                "redis-server",
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return new RedisServerProcess(process, port);
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    process.destroyForcibly();
    throw new IOException("redis-server did not start on port " + port);
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** SIGKILL: the server vanishes without closing anything cleanly. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
