package io.railrush.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection, one request at a time. Hand-written rather than the JDK's
 * HttpClient: the load generator shares the server's two cores, and the JDK client spends more CPU
 * per request than a trivial GET costs the server, which would measure the client instead.
 * Understands exactly what the server sends: Content-Length or chunked bodies.
 */
public final class KeepAliveConnection implements AutoCloseable {

  public record Answer(int status, String body) {}

  private final String host;
  private final int port;
  private final int readTimeoutMillis;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  /** A connection that waits for an answer as long as it takes. */
  public KeepAliveConnection(String host, int port) {
    this(host, port, Duration.ZERO);
  }

  /**
   * @param readTimeout how long an answer may take before the call fails; zero for no limit (the
   *     grab bench measures what nginx and the nodes answer, their own timeouts included)
   */
  public KeepAliveConnection(String host, int port, Duration readTimeout) {
    this.host = host;
    this.port = port;
    this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
  }

  /** A request without a body, with a bearer token if {@code authorization} is not null. */
  public Answer send(String method, String path, String authorization) throws IOException {
    return send(
        method,
        path,
        authorization == null ? Map.of() : Map.of("Authorization", "Bearer " + authorization),
        method.equals("POST") ? new byte[0] : null);
  }

  /** A request with these headers and, unless {@code body} is null, this body. */
  public Answer send(String method, String path, Map<String, String> headers, byte[] body)
      throws IOException {
    if (socket == null) {
      socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(readTimeoutMillis);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }
    StringBuilder request =
        new StringBuilder(512)
            .append(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nHost: ")
            .append(host)
            .append(':')
            .append(port)
            .append("\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    if (body != null) {
      request.append("Content-Length: ").append(body.length).append("\r\n");
    }
    request.append("\r\n");
    byte[] head = request.toString().getBytes(StandardCharsets.ISO_8859_1);
    try {
      if (body == null || body.length == 0) {
        out.write(head);
      } else {
        byte[] whole = new byte[head.length + body.length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(body, 0, whole, head.length, body.length);
        out.write(whole);
      }
      out.flush();
      return readAnswer();
    } catch (IOException | RuntimeException e) { // a half-read answer leaves the stream unusable
      close();
      throw e;
    }
  }

  private Answer readAnswer() throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.substring(9, 12));
    int length = -1;
    boolean chunked = false;
    boolean closing = false;
    for (String header; !(header = line()).isEmpty(); ) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Integer.parseInt(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
        closing = true;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(256);
    if (chunked) {
      for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
        body.write(in.readNBytes(size));
        line();
      }
      line();
    } else if (length > 0) {
      body.write(in.readNBytes(length));
    }
    if (closing) {
      close();
    }
    return new Answer(status, body.toString(StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("connection closed by the server");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
