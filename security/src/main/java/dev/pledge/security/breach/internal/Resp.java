package dev.pledge.security.breach.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A minimal Redis client: one socket, commands sent as RESP arrays of bulk strings, replies read as
 * simple strings, errors, integers, bulk strings and arrays. Enough for {@code AUTH} and {@code ACL};
 * keeps pledge-security free of a Redis client library. Not thread-safe; one per call.
 */
final class Resp implements Closeable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  private Resp(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream());
  }

  /** Connects to {@code server} with a 5 s connect and read timeout. */
  static Resp connect(InetSocketAddress server) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(server, 5000);
      s.setSoTimeout(5000);
      return new Resp(s);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** Sends one command and returns its reply; a Redis error reply is thrown as {@link RedisError}. */
  Object call(byte[]... args) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] a : args) {
      b.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      b.write(a);
      b.write('\r');
      b.write('\n');
    }
    byte[] frame = b.toByteArray();
    try {
      out.write(frame);
      out.flush();
    } finally {
      Arrays.fill(frame, (byte) 0);
    }
    return read();
  }

  /** {@link #call(byte[]...)} with text arguments (never a secret: those go as bytes). */
  Object call(String... args) throws IOException {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    return call(bytes);
  }

  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new IOException("Redis closed the connection");
    }
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new RedisError(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        byte[] data = in.readNBytes(n + 2);
        return new String(data, 0, n, StandardCharsets.UTF_8);
      }
      case '*': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          try {
            items.add(read());
          } catch (RedisError e) {
            items.add(e);
          }
        }
        return items;
      }
      default:
        throw new IOException("not a Redis reply (type byte " + type + ")");
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("Redis closed the connection");
      }
      b.write(c);
    }
    in.read();
    return b.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** An error reply from Redis, such as {@code WRONGPASS} or {@code NOPERM}. */
  static final class RedisError extends IOException {
    private static final long serialVersionUID = 1L;

    RedisError(String message) {
      super(message);
    }
  }
}
