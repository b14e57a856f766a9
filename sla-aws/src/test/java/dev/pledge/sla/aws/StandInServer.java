package dev.pledge.sla.aws;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server standing in for Slack or SNS: it answers from a script (status and body, or a
 * stall that never answers until the server closes) and records every request it receives exactly.
 */
final class StandInServer implements AutoCloseable {
  /** A request as received. */
  record Received(String method, String path, Map<String, String> headers, String body) {}

  private record Answer(int status, String contentType, String body, boolean stall, Map<String, String> headers,
      CountDownLatch gate) {
    Answer(int status, String contentType, String body, boolean stall) {
      this(status, contentType, body, stall, Map.of(), null);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<Received> received = new ArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private Answer fallback;

  StandInServer(int status, String contentType, String body) {
    this.fallback = new Answer(status, contentType, body, false);
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", ex -> {
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
      String text = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Answer a;
      synchronized (this) {
        received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().toString(), headers, text));
        notifyAll();
        a = script.isEmpty() ? fallback : script.poll();
      }
      if (a.gate != null) {
        try {
          a.gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (a.stall) {
        try {
          closing.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ex.close();
        return;
      }
      byte[] out = a.body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", a.contentType);
      a.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      ex.sendResponseHeaders(a.status, out.length == 0 ? -1 : out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    });
    server.start();
  }

  /** The base URL, such as {@code http://127.0.0.1:41234}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers the next request with {@code status} and {@code body}. */
  synchronized StandInServer then(int status, String body) {
    script.add(new Answer(status, fallback.contentType, body, false));
    return this;
  }

  /** Answers the next request with {@code status}, {@code body} and the response {@code headers}. */
  synchronized StandInServer then(int status, String body, Map<String, String> headers) {
    script.add(new Answer(status, fallback.contentType, body, false, Map.copyOf(headers), null));
    return this;
  }

  /** Answers the next request with {@code status} and {@code body} once {@code gate} opens. */
  synchronized StandInServer thenOnceOpen(CountDownLatch gate, int status, String body) {
    script.add(new Answer(status, fallback.contentType, body, false, Map.of(), gate));
    return this;
  }

  /** Never answers the next request. */
  synchronized StandInServer thenStall() {
    script.add(new Answer(0, "", "", true));
    return this;
  }

  /** Never answers any request not scripted otherwise. */
  synchronized StandInServer stallByDefault() {
    fallback = new Answer(0, "", "", true);
    return this;
  }

  /** Blocks until at least {@code count} requests have arrived (woken by each arrival), or fails after 10 s. */
  synchronized void awaitReceived(int count) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (received.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(received.size() + " of " + count + " requests arrived within 10 s");
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
