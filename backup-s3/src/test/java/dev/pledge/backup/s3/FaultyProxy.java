package dev.pledge.backup.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 proxy in front of a real S3 server that injects faults into a seeded, reproducible
 * fraction of requests: it drops the connection before forwarding, drops it after the server has
 * acted but before the answer reaches the client (a lost response), answers 500 or 503 itself,
 * stalls without answering until the client gives up, or cuts the answer off halfway through its body. Every other request is forwarded unchanged on a
 * fresh upstream connection and its answer relayed. One request per client connection.
 */
final class FaultyProxy implements AutoCloseable {
  enum Fault { DROP_BEFORE, DROP_AFTER, ERROR_500, ERROR_503, STALL, TRUNCATE }

  private final ServerSocket server;
  private final URI upstream;
  private final Random random;
  private final double rate;
  private final long stallMillis;
  private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
  private int requests;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<Socket> open = new ArrayList<>();
  private final Thread acceptor;
  private volatile java.util.function.Function<String, Fault> rule = line -> null;
  private final List<String> heads = new java.util.concurrent.CopyOnWriteArrayList<>();

  FaultyProxy(URI upstream, long seed, double rate, long stallMillis) throws IOException {
    this.upstream = upstream;
    this.random = new Random(seed);
    this.rate = rate;
    this.stallMillis = stallMillis;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "faulty-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  synchronized Map<Fault, Integer> injected() {
    return Map.copyOf(injected);
  }

  /** The request line and headers of every request received, in order. */
  List<String> heads() {
    return List.copyOf(heads);
  }

  synchronized int requests() {
    return requests;
  }

  private int active;
  private int mostActive;

  /** The most requests the proxy was handling at one moment (from their head until their answer). */
  synchronized int mostConcurrent() {
    return mostActive;
  }

  private synchronized void started() {
    active++;
    mostActive = Math.max(mostActive, active);
  }

  private synchronized void ended() {
    active--;
  }

  /**
   * A fault chosen by request line ({@code POST /bucket/key?uploadId=... HTTP/1.1}) before the random
   * ones: null lets the request through to the random draw.
   */
  void rule(java.util.function.Function<String, Fault> rule) {
    this.rule = rule;
  }

  private synchronized Fault decide(String requestLine) {
    requests++;
    Fault chosen = rule.apply(requestLine);
    if (chosen != null) {
      injected.merge(chosen, 1, Integer::sum);
      return chosen;
    }
    if (random.nextDouble() >= rate) {
      return null;
    }
    Fault f = Fault.values()[random.nextInt(Fault.values().length)];
    injected.merge(f, 1, Integer::sum);
    return f;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        synchronized (open) {
          open.add(client);
        }
        Thread t = new Thread(() -> handle(client), "faulty-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      heads.add(head);
      started();
      try {
        relay(client, in, out, head);
      } finally {
        ended();
      }
    } catch (SocketException closedByPeer) {
      // the client gave up (a timeout) or the proxy is closing
    } catch (IOException e) {
      // a broken exchange is one more fault the client must survive
    }
  }

  /** Forwards one request (or injects its fault) and relays the answer. */
  private void relay(Socket client, InputStream in, OutputStream out, String head) throws IOException {
    List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
    boolean expectContinue = false;
    long length = 0;
    boolean chunked = false;
    List<String> forwarded = new ArrayList<>();
    forwarded.add(lines.get(0));
    for (String h : lines.subList(1, lines.size())) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("expect:")) {
        expectContinue = lower.contains("100-continue");
        continue;
      }
      if (lower.startsWith("connection:")) {
        continue;
      }
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(h.substring(h.indexOf(':') + 1).trim());
      }
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
      forwarded.add(h);
    }
    forwarded.add("Connection: close");
    if (expectContinue) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    byte[] body = chunked ? readChunked(in) : in.readNBytes((int) length);
    Fault fault = decide(lines.get(0));
    if (fault == Fault.DROP_BEFORE) {
      return;
    }
    if (fault == Fault.ERROR_500 || fault == Fault.ERROR_503) {
      String code = fault == Fault.ERROR_500 ? "InternalError" : "SlowDown";
      String status = fault == Fault.ERROR_500 ? "500 Internal Server Error" : "503 Slow Down";
      byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
          + "</Code><Message>injected by the test proxy</Message><RequestId>fault</RequestId></Error>")
          .getBytes(StandardCharsets.UTF_8);
      out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/xml\r\nContent-Length: " + xml.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(xml);
      out.flush();
      return;
    }
    if (fault == Fault.STALL) {
      // hold the connection silent until the client times out and closes it (or the cap passes)
      client.setSoTimeout((int) stallMillis);
      try {
        while (in.read() >= 0) {
          // discard
        }
      } catch (IOException timedOut) {
        // the cap passed: close without answering
      }
      return;
    }
    try (Socket up = new Socket(upstream.getHost(), upstream.getPort())) {
      OutputStream upOut = up.getOutputStream();
      upOut.write((String.join("\r\n", forwarded) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      upOut.write(body);
      upOut.flush();
      InputStream upIn = up.getInputStream();
      if (fault == Fault.DROP_AFTER) {
        upIn.readAllBytes(); // the server has acted on the request; its answer is lost
        return;
      }
      if (fault == Fault.TRUNCATE) {
        // the answer's head and half its body arrive, then the connection breaks
        byte[] answer = upIn.readAllBytes();
        int bodyStart = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
        out.write(answer, 0, bodyStart + (answer.length - bodyStart) / 2);
        out.flush();
        return;
      }
      upIn.transferTo(out);
      out.flush();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return haystack.length - 4;
  }

  /** The request line and headers, without the blank line; null at end of stream. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      b.write(c);
      state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
    String s = b.toString(StandardCharsets.ISO_8859_1);
    return s.substring(0, s.length() - 4);
  }

  /** A chunked body, raw (sizes, data, trailers), to forward as it came. */
  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in, raw);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        while (!readLine(in, raw).isEmpty()) {
          // trailers
        }
        return raw.toByteArray();
      }
      raw.write(in.readNBytes(size));
      readLine(in, raw);
    }
  }

  private static String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("request ended inside a chunk");
      }
      raw.write(c);
      if (prev == '\r' && c == '\n') {
        byte[] l = line.toByteArray();
        return new String(l, 0, l.length - 1, StandardCharsets.ISO_8859_1);
      }
      line.write(c);
      prev = c;
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (open) {
      for (Socket s : open) {
        s.close();
      }
    }
    closed.countDown();
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
