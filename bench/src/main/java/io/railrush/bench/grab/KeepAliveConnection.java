package io.railrush.bench.grab;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection, one request at a time. Hand-written rather than the JDK's
 * HttpClient: the load generator shares the server's two cores, and the JDK client spends more CPU
 * per request than a trivial GET costs the server, which would measure the client instead.
 * Understands exactly what the server sends: Content-Length or chunked bodies.
 */
final class KeepAliveConnection implements AutoCloseable {

  record Answer(int status, String body) {}

  private final String host;
  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  KeepAliveConnection(String host, int port) {
    this.host = host;
    this.port = port;
  }

  Answer send(String method, String path, String authorization) throws IOException {
    if (socket == null) {
      socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
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
    if (authorization != null) {
      request.append("Authorization: Bearer ").append(authorization).append("\r\n");
    }
    if (method.equals("POST")) {
      request.append("Content-Length: 0\r\n");
    }
    request.append("\r\n");
    try {
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return readAnswer();
    } catch (IOException e) {
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
