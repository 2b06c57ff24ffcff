package io.railrush.app.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A loopback TCP proxy a test steers: it can hold the server's replies while requests still pass (a
 * publish reaches the broker, its confirm does not come back), stall both directions (a server that
 * accepts connections and never answers), and cut every open connection at once.
 *
 * <p>Hand-written rather than Toxiproxy: that needs its own server binary on the machine, and these
 * three switches are all the tests need.
 */
public final class TcpProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile boolean repliesHeld;
  private volatile boolean requestsHeld;
  private volatile boolean closed;

  private TcpProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("tcp-proxy-" + port()).start(this::acceptLoop);
  }

  /** A proxy on a free loopback port to {@code host:port}. */
  public static TcpProxy to(String host, int port) throws IOException {
    return new TcpProxy(new InetSocketAddress(host, port));
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** From now on bytes from the server wait in the proxy; bytes to it still pass. */
  public void holdReplies() {
    repliesHeld = true;
  }

  /** From now on nothing passes either way; connections stay open. */
  public void stall() {
    requestsHeld = true;
    repliesHeld = true;
  }

  /** Lets everything pass again, held bytes first. */
  public void flow() {
    synchronized (gate) {
      requestsHeld = false;
      repliesHeld = false;
      gate.notifyAll();
    }
  }

  /** Closes every open connection; bytes still held are dropped. New connections are accepted. */
  public void cutAll() {
    // removes only what it closed: a clear() here would also forget a connection accepted
    // while the loop ran, which then outlives this cut and every later one
    for (Socket socket : open) {
      closeQuietly(socket);
      open.remove(socket);
    }
    synchronized (gate) {
      gate.notifyAll(); // pumps waiting to write find their socket closed and stop
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        open.add(client); // at once, so a cut while it is still connecting closes it too
        Socket server = new Socket();
        open.add(server);
        try {
          server.connect(target, 5_000);
        } catch (IOException unreachableOrCut) {
          closeQuietly(client);
          closeQuietly(server);
          continue;
        }
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        pump(client, server, () -> requestsHeld);
        pump(server, client, () -> repliesHeld);
      } catch (IOException e) {
        if (!closed) {
          throw new IllegalStateException("proxy to " + target + " stopped accepting", e);
        }
      }
    }
  }

  private void pump(Socket from, Socket to, BooleanSupplier held) {
    Thread.ofVirtual()
        .start(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  awaitPassage(held, to);
                  out.write(buffer, 0, read);
                  out.flush();
                }
              } catch (IOException | InterruptedException gone) {
                // one side closed or was cut: the other goes too
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            });
  }

  private void awaitPassage(BooleanSupplier held, Socket to) throws InterruptedException {
    synchronized (gate) {
      while (held.getAsBoolean() && !to.isClosed() && !closed) {
        gate.wait(100);
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    cutAll();
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}
