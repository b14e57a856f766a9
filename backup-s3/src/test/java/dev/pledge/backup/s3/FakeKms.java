package dev.pledge.backup.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pledge.core.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A local HTTP server standing in for AWS KMS (JSON 1.1 protocol: POST /, {@code X-Amz-Target:
 * TrentService.Encrypt|Decrypt|GenerateDataKey}). It keeps real AES-GCM keys, binds ciphertexts to their
 * encryption context, answers KMS's own error types, and records every request it receives so tests can
 * check exactly what the client sent.
 */
final class FakeKms implements AutoCloseable {
  /** One request as received. */
  record Request(String target, String contentType, String authorization, JsonNode body) {}

  private static final String ACCOUNT_ARN = "arn:aws:kms:eu-west-2:111122223333:key/";
  private final HttpServer server;
  private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();

  private FakeKms() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  static FakeKms start() throws IOException {
    return new FakeKms();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Creates a key reachable as {@code alias/<alias>} and by its id; returns the key id. */
  String createKey(String alias) {
    try {
      KeyGenerator g = KeyGenerator.getInstance("AES");
      g.init(256);
      String id = java.util.UUID.randomUUID().toString();
      keys.put(id, g.generateKey());
      aliases.put("alias/" + alias, id);
      return id;
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  void clearRequests() {
    requests.clear();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] raw = ex.getRequestBody().readAllBytes();
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode body = raw.length == 0 ? Json.mapper().createObjectNode() : Json.mapper().readTree(raw);
      requests.add(new Request(target, ex.getRequestHeaders().getFirst("Content-Type"),
          ex.getRequestHeaders().getFirst("Authorization"), body));
      if (!"POST".equals(ex.getRequestMethod()) || !"/".equals(ex.getRequestURI().getPath())) {
        error(ex, 400, "UnknownOperationException", "KMS takes POST /");
        return;
      }
      switch (target == null ? "" : target) {
        case "TrentService.Encrypt" -> encrypt(ex, body);
        case "TrentService.Decrypt" -> decrypt(ex, body);
        default -> error(ex, 400, "UnknownOperationException", "unsupported target " + target);
      }
    }
  }

  private String resolve(String keyId) {
    if (keyId == null) {
      return null;
    }
    String id = keyId.startsWith("alias/") ? aliases.get(keyId) : keyId;
    if (id != null && id.startsWith(ACCOUNT_ARN)) {
      id = id.substring(ACCOUNT_ARN.length());
    }
    return id != null && keys.containsKey(id) ? id : null;
  }

  private void encrypt(HttpExchange ex, JsonNode body) throws IOException {
    String id = resolve(text(body, "KeyId"));
    if (id == null) {
      error(ex, 400, "NotFoundException", "Key '" + text(body, "KeyId") + "' does not exist");
      return;
    }
    byte[] plaintext = Base64.getDecoder().decode(text(body, "Plaintext"));
    byte[] iv = new byte[12];
    random.nextBytes(iv);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, keys.get(id), new GCMParameterSpec(128, iv));
      c.updateAAD(context(body));
      byte[] sealed = c.doFinal(plaintext);
      ByteArrayOutputStream blob = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(blob);
      d.writeUTF(id);
      d.write(iv);
      d.write(sealed);
      ObjectNode r = Json.mapper().createObjectNode();
      r.put("CiphertextBlob", Base64.getEncoder().encodeToString(blob.toByteArray()));
      r.put("KeyId", ACCOUNT_ARN + id);
      r.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
      respond(ex, 200, r);
    } catch (GeneralSecurityException e) {
      error(ex, 500, "KMSInternalException", e.toString());
    }
  }

  private void decrypt(HttpExchange ex, JsonNode body) throws IOException {
    byte[] blob = Base64.getDecoder().decode(text(body, "CiphertextBlob"));
    String id;
    byte[] iv = new byte[12];
    byte[] sealed;
    try {
      DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(blob));
      id = d.readUTF();
      d.readFully(iv);
      sealed = d.readAllBytes();
    } catch (IOException e) {
      error(ex, 400, "InvalidCiphertextException", "");
      return;
    }
    if (!keys.containsKey(id)) {
      error(ex, 400, "InvalidCiphertextException", "");
      return;
    }
    if (body.has("KeyId") && !id.equals(resolve(text(body, "KeyId")))) {
      error(ex, 400, "IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.");
      return;
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, keys.get(id), new GCMParameterSpec(128, iv));
      c.updateAAD(context(body));
      byte[] plaintext = c.doFinal(sealed);
      ObjectNode r = Json.mapper().createObjectNode();
      r.put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
      r.put("KeyId", ACCOUNT_ARN + id);
      r.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
      respond(ex, 200, r);
    } catch (GeneralSecurityException e) {
      error(ex, 400, "InvalidCiphertextException", "");
    }
  }

  /** The encryption context in a canonical order, as the authenticated data. */
  private static byte[] context(JsonNode body) {
    Map<String, String> sorted = new TreeMap<>();
    JsonNode ctx = body.get("EncryptionContext");
    if (ctx != null) {
      ctx.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    }
    return sorted.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null ? null : n.asText();
  }

  private static void error(HttpExchange ex, int status, String type, String message) throws IOException {
    ObjectNode r = Json.mapper().createObjectNode();
    r.put("__type", type);
    r.put("message", message);
    respond(ex, status, r);
  }

  private static void respond(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = Json.mapper().writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    ex.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
