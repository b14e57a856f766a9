package dev.pledge.security.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pledge.core.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A local HTTP server standing in for IAM (the query protocol: form-encoded {@code Action=...}, XML
 * answers) and Secrets Manager (JSON 1.1, {@code X-Amz-Target: secretsmanager.ACTION}). It keeps
 * state (users, groups, access keys, policies; secrets with versions and staging labels) the way
 * the services do, refuses what they refuse with their error codes, rejects any request that is not
 * SigV4-signed for the expected service, and records every request exactly.
 */
public final class FakeAws implements AutoCloseable {
  public static final String KEY_ID = "AKIAPLEDGETEST";
  public static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLEDGEKEY";
  public static final String ACCOUNT = "123456789012";
  private static final String IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
  private static final Pattern SIGNED = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/[0-9]{8}/us-east-1/(iam|secretsmanager)/aws4_request, "
          + "SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request as received: which service and action, its headers, and its parameters (form fields or JSON members). */
  public record Received(String service, String action, Map<String, String> headers, Map<String, String> params, String body) {}

  public static final class Key {
    public final String id;
    public final String secret;
    public String status = "Active";

    Key(String id, String secret) {
      this.id = id;
      this.secret = secret;
    }
  }

  public static final class User {
    public final String name;
    public final String path;
    public final Set<String> groups = new LinkedHashSet<>();
    public final Set<String> attached = new LinkedHashSet<>();
    public final Map<String, String> inline = new LinkedHashMap<>();
    public final Map<String, Key> keys = new LinkedHashMap<>();
    public final Map<String, String> tags = new LinkedHashMap<>();
    public String consolePassword;

    public User(String name, String path) {
      this.name = name;
      this.path = path;
    }
  }

  static final class Version {
    final String value;
    final Set<String> stages = new LinkedHashSet<>();

    Version(String value) {
      this.value = value;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Received> received = new ArrayList<>();
  public final Map<String, User> users = new LinkedHashMap<>();
  public final Map<String, Set<String>> groups = new LinkedHashMap<>();
  final Map<String, Set<String>> groupPolicies = new LinkedHashMap<>();
  final Set<String> policies = new HashSet<>(Set.of(IamAccessTarget.ADMINISTRATOR_ACCESS));
  final Map<String, Map<String, Version>> secrets = new LinkedHashMap<>();
  private int keyCounter;
  private final Set<String> denied = new HashSet<>();

  public FakeAws() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The stand-in's base URL, such as {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A connection to this stand-in, signed with the test credentials. */
  public AwsConnection connection() {
    return AwsConnection.builder().region("us-east-1")
        .endpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .credentials(KEY_ID, Secret.ofUtf8(SECRET_KEY)).build();
  }

  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  public synchronized List<String> actions() {
    return received.stream().map(Received::action).toList();
  }

  public synchronized void clearReceived() {
    received.clear();
  }

  /** Every later request for {@code action} is refused with 403 AccessDenied (not retried by the SDK). */
  public synchronized void deny(String action) {
    denied.add(action);
  }

  /** Requests for {@code action} are served again. */
  public synchronized void allow(String action) {
    denied.remove(action);
  }

  /**
   * Whether IAM would let a request through that {@code user} makes at {@code now} with the temporary
   * credentials of a console session signed in at {@code issuedAt}: the user exists, holds some right
   * (a group, an attached policy) and no inline Deny on every action matches. The Deny conditions this
   * evaluates are the ones on date keys ({@code DateGreaterThan}, {@code DateLessThan} on
   * {@code aws:CurrentTime} and {@code aws:TokenIssueTime}); any other fails the test.
   */
  public synchronized boolean sessionMayAct(String user, java.time.Instant issuedAt, java.time.Instant now) {
    User u = users.get(user);
    if (u == null || (u.groups.isEmpty() && u.attached.isEmpty())) {
      return false;
    }
    for (String doc : u.inline.values()) {
      try {
        for (JsonNode st : JSON.readTree(doc).get("Statement")) {
          if (!st.get("Effect").asText().equals("Deny")) {
            continue;
          }
          if (!st.path("Action").asText().equals("*") || !st.path("Resource").asText().equals("*")) {
            throw new IllegalStateException("the stand-in evaluates only denials of every action: " + st);
          }
          boolean applies = true;
          var ops = st.path("Condition").fields();
          while (ops.hasNext()) {
            var op = ops.next();
            var keys = op.getValue().fields();
            while (keys.hasNext()) {
              var k = keys.next();
              java.time.Instant value = switch (k.getKey()) {
                case "aws:CurrentTime" -> now;
                case "aws:TokenIssueTime" -> issuedAt;
                default -> throw new IllegalStateException("condition key " + k.getKey() + " is not modelled");
              };
              java.time.Instant bound = java.time.Instant.parse(k.getValue().asText());
              applies &= switch (op.getKey()) {
                case "DateGreaterThan" -> value.isAfter(bound);
                case "DateLessThan" -> value.isBefore(bound);
                default -> throw new IllegalStateException("condition operator " + op.getKey() + " is not modelled");
              };
            }
          }
          if (applies) {
            return false;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return true;
  }

  /** Why IAM would refuse this inline policy, or null: the name's characters, the document's JSON and grammar. */
  private static String malformed(String name, String document) {
    if (name == null || !name.matches("[\\w+=,.@-]{1,128}")) {
      return "The specified value for policyName is invalid.";
    }
    try {
      JsonNode d = JSON.readTree(document);
      if (d == null || !"2012-10-17".equals(d.path("Version").asText()) || !d.path("Statement").isArray()
          || d.get("Statement").isEmpty()) {
        return "The policy failed legacy parsing";
      }
      for (JsonNode st : d.get("Statement")) {
        if (!Set.of("Allow", "Deny").contains(st.path("Effect").asText()) || !st.has("Action") || !st.has("Resource")) {
          return "Syntax errors in policy.";
        }
      }
      return null;
    } catch (IOException e) {
      return "Syntax errors in policy.";
    }
  }

  public synchronized void group(String name) {
    groups.put(name, new LinkedHashSet<>());
  }

  public synchronized void policy(String arn) {
    policies.add(arn);
  }

  public synchronized void attachGroupPolicy(String group, String arn) {
    groupPolicies.computeIfAbsent(group, g -> new LinkedHashSet<>()).add(arn);
  }

  public synchronized User user(String name) {
    return users.computeIfAbsent(name, n -> new User(n, "/"));
  }

  public synchronized Key addKey(String user) {
    Key k = new Key("AKIA" + String.format("%016d", ++keyCounter), "secret-" + keyCounter + "-" + System.nanoTime());
    user(user).keys.put(k.id, k);
    return k;
  }

  public synchronized void secret(String name, String value) {
    Map<String, Version> versions = new LinkedHashMap<>();
    Version v = new Version(value);
    v.stages.add("AWSCURRENT");
    versions.put(java.util.UUID.randomUUID().toString(), v);
    secrets.put(name, versions);
  }

  /** The value labelled {@code stage}, or null. */
  public synchronized String value(String secret, String stage) {
    return secrets.get(secret).values().stream().filter(v -> v.stages.contains(stage)).map(v -> v.value)
        .findFirst().orElse(null);
  }

  /** Version id to its labels. */
  public synchronized Map<String, Set<String>> stages(String secret) {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    secrets.get(secret).forEach((id, v) -> m.put(id, Set.copyOf(v.stages)));
    return m;
  }

  private void handle(HttpExchange ex) throws IOException {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String target = headers.get("X-Amz-Target");
    int status;
    String type;
    String answer;
    synchronized (this) {
      boolean sm = target != null && target.startsWith("secretsmanager.");
      Map<String, String> params = sm ? jsonParams(body) : form(body);
      String action = sm ? target.substring("secretsmanager.".length()) : params.getOrDefault("Action", "?");
      received.add(new Received(sm ? "secretsmanager" : "iam", action, headers, params, body));
      String auth = headers.getOrDefault("Authorization", "");
      var m = SIGNED.matcher(auth);
      if (!ex.getRequestMethod().equals("POST") || !m.matches() || !headers.containsKey("X-Amz-Date")
          || !m.group(1).equals(sm ? "secretsmanager" : "iam")) {
        status = 403;
        type = sm ? "application/x-amz-json-1.1" : "text/xml";
        answer = sm ? smError("UnrecognizedClientException", "The security token included in the request is invalid.")
            : iamError("Sender", "SignatureDoesNotMatch", "not signed");
      } else if (denied.contains(action)) {
        status = sm ? 400 : 403;
        type = sm ? "application/x-amz-json-1.1" : "text/xml";
        String why = "User: arn:aws:iam::" + ACCOUNT + ":user/pledge-runner is not authorized to perform: "
            + (sm ? "secretsmanager:" : "iam:") + action;
        answer = sm ? smError("AccessDeniedException", why) : iamError("Sender", "AccessDenied", why);
      } else if (sm) {
        type = "application/x-amz-json-1.1";
        String[] r = secretsManager(action, body);
        status = Integer.parseInt(r[0]);
        answer = r[1];
      } else {
        type = "text/xml";
        String[] r = iam(action, params);
        status = Integer.parseInt(r[0]);
        answer = r[1];
      }
    }
    byte[] out = answer.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  // ---------------------------------------------------------------- IAM

  private String[] iam(String action, Map<String, String> p) {
    String userName = p.get("UserName");
    User u = userName == null ? null : users.get(userName);
    boolean needsUser = !Set.of("CreateUser", "ListUsers", "ListEntitiesForPolicy", "GetGroup").contains(action);
    if (needsUser && u == null) {
      return new String[] {"404", iamError("Sender", "NoSuchEntity", "The user with name " + userName + " cannot be found.")};
    }
    switch (action) {
      case "CreateUser": {
        if (users.containsKey(userName)) {
          return new String[] {"409", iamError("Sender", "EntityAlreadyExists", "User with name " + userName + " already exists.")};
        }
        User n = new User(userName, p.getOrDefault("Path", "/"));
        for (int i = 1; p.containsKey("Tags.member." + i + ".Key"); i++) {
          n.tags.put(p.get("Tags.member." + i + ".Key"), p.get("Tags.member." + i + ".Value"));
        }
        users.put(userName, n);
        return ok(action, "<User>" + userXml(n) + "</User>");
      }
      case "GetUser":
        return ok(action, "<User>" + userXml(u) + "</User>");
      case "PutUserPolicy": {
        String why = malformed(p.get("PolicyName"), p.get("PolicyDocument"));
        if (why != null) {
          return new String[] {"400", iamError("Sender", "MalformedPolicyDocument", why)};
        }
        u.inline.put(p.get("PolicyName"), p.get("PolicyDocument"));
        return ok(action, null);
      }
      case "AttachUserPolicy":
        if (!policies.contains(p.get("PolicyArn"))) {
          return new String[] {"404", iamError("Sender", "NoSuchEntity", "Policy " + p.get("PolicyArn") + " does not exist or is not attachable.")};
        }
        u.attached.add(p.get("PolicyArn"));
        return ok(action, null);
      case "AddUserToGroup":
        if (!groups.containsKey(p.get("GroupName"))) {
          return new String[] {"404", iamError("Sender", "NoSuchEntity", "The group with name " + p.get("GroupName") + " cannot be found.")};
        }
        u.groups.add(p.get("GroupName"));
        groups.get(p.get("GroupName")).add(userName);
        return ok(action, null);
      case "CreateLoginProfile":
        if (u.consolePassword != null) {
          return new String[] {"409", iamError("Sender", "EntityAlreadyExists", "Login Profile for user " + userName + " already exists.")};
        }
        u.consolePassword = p.get("Password");
        return ok(action, "<LoginProfile><UserName>" + userName + "</UserName><CreateDate>2026-12-03T12:00:00Z</CreateDate>"
            + "<PasswordResetRequired>false</PasswordResetRequired></LoginProfile>");
      case "UpdateLoginProfile":
        u.consolePassword = p.get("Password");
        return ok(action, null);
      case "DeleteLoginProfile":
        if (u.consolePassword == null) {
          return new String[] {"404", iamError("Sender", "NoSuchEntity", "Login Profile for User " + userName + " cannot be found.")};
        }
        u.consolePassword = null;
        return ok(action, null);
      case "CreateAccessKey": {
        if (u.keys.size() >= 2) {
          return new String[] {"409", iamError("Sender", "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")};
        }
        Key k = new Key("AKIA" + String.format("%016d", ++keyCounter), "fresh-" + keyCounter + "-" + System.nanoTime());
        u.keys.put(k.id, k);
        return ok(action, "<AccessKey><UserName>" + userName + "</UserName><AccessKeyId>" + k.id + "</AccessKeyId>"
            + "<Status>Active</Status><SecretAccessKey>" + k.secret + "</SecretAccessKey>"
            + "<CreateDate>2026-12-03T12:00:00Z</CreateDate></AccessKey>");
      }
      case "ListAccessKeys": {
        StringBuilder sb = new StringBuilder("<AccessKeyMetadata>");
        for (Key k : u.keys.values()) {
          sb.append("<member><UserName>").append(userName).append("</UserName><AccessKeyId>").append(k.id)
              .append("</AccessKeyId><Status>").append(k.status).append("</Status><CreateDate>2026-12-03T12:00:00Z</CreateDate></member>");
        }
        return ok(action, sb + "</AccessKeyMetadata><IsTruncated>false</IsTruncated>");
      }
      case "UpdateAccessKey": {
        Key k = u.keys.get(p.get("AccessKeyId"));
        if (k == null) {
          return new String[] {"404", iamError("Sender", "NoSuchEntity", "The Access Key with id " + p.get("AccessKeyId") + " cannot be found.")};
        }
        k.status = p.get("Status");
        return ok(action, null);
      }
      case "DeleteAccessKey":
        if (u.keys.remove(p.get("AccessKeyId")) == null) {
          return new String[] {"404", iamError("Sender", "NoSuchEntity", "The Access Key with id " + p.get("AccessKeyId") + " cannot be found.")};
        }
        return ok(action, null);
      case "ListGroupsForUser": {
        StringBuilder sb = new StringBuilder("<Groups>");
        for (String g : u.groups) {
          sb.append("<member><Path>/</Path><GroupName>").append(g).append("</GroupName><GroupId>AGPA").append(g.hashCode() & 0xffff)
              .append("</GroupId><Arn>arn:aws:iam::").append(ACCOUNT).append(":group/").append(g)
              .append("</Arn><CreateDate>2026-12-03T12:00:00Z</CreateDate></member>");
        }
        return ok(action, sb + "</Groups><IsTruncated>false</IsTruncated>");
      }
      case "RemoveUserFromGroup":
        u.groups.remove(p.get("GroupName"));
        groups.getOrDefault(p.get("GroupName"), new HashSet<>()).remove(userName);
        return ok(action, null);
      case "ListAttachedUserPolicies": {
        StringBuilder sb = new StringBuilder("<AttachedPolicies>");
        for (String a : u.attached) {
          sb.append("<member><PolicyName>").append(a.substring(a.lastIndexOf('/') + 1)).append("</PolicyName><PolicyArn>")
              .append(a).append("</PolicyArn></member>");
        }
        return ok(action, sb + "</AttachedPolicies><IsTruncated>false</IsTruncated>");
      }
      case "DetachUserPolicy":
        u.attached.remove(p.get("PolicyArn"));
        return ok(action, null);
      case "ListUserPolicies": {
        StringBuilder sb = new StringBuilder("<PolicyNames>");
        u.inline.keySet().forEach(n -> sb.append("<member>").append(n).append("</member>"));
        return ok(action, sb + "</PolicyNames><IsTruncated>false</IsTruncated>");
      }
      case "DeleteUserPolicy":
        u.inline.remove(p.get("PolicyName"));
        return ok(action, null);
      case "DeleteUser":
        if (u.consolePassword != null || !u.keys.isEmpty() || !u.groups.isEmpty() || !u.attached.isEmpty()
            || !u.inline.isEmpty()) {
          return new String[] {"409", iamError("Sender", "DeleteConflict", "Cannot delete entity, must remove referenced entities first.")};
        }
        users.remove(userName);
        return ok(action, null);
      case "ListUsers": {
        // two a page, so callers must follow the marker
        String prefix = p.getOrDefault("PathPrefix", "/");
        List<User> all = users.values().stream().filter(x -> x.path.startsWith(prefix)).toList();
        int from = p.containsKey("Marker") ? Integer.parseInt(p.get("Marker")) : 0;
        int to = Math.min(all.size(), from + 2);
        StringBuilder sb = new StringBuilder("<Users>");
        for (User x : all.subList(from, to)) {
          sb.append("<member>").append(userXml(x)).append("</member>");
        }
        sb.append("</Users><IsTruncated>").append(to < all.size()).append("</IsTruncated>");
        if (to < all.size()) {
          sb.append("<Marker>").append(to).append("</Marker>");
        }
        return ok(action, sb.toString());
      }
      case "ListEntitiesForPolicy": {
        String arn = p.get("PolicyArn");
        StringBuilder sb = new StringBuilder("<PolicyGroups>");
        groupPolicies.forEach((g, set) -> {
          if (set.contains(arn)) {
            sb.append("<member><GroupName>").append(g).append("</GroupName><GroupId>AGPA1</GroupId></member>");
          }
        });
        sb.append("</PolicyGroups><PolicyUsers>");
        users.values().stream().filter(x -> x.attached.contains(arn)).forEach(x -> sb.append("<member><UserName>")
            .append(x.name).append("</UserName><UserId>AIDA1</UserId></member>"));
        return ok(action, sb + "</PolicyUsers><PolicyRoles></PolicyRoles><IsTruncated>false</IsTruncated>");
      }
      case "GetGroup": {
        String g = p.get("GroupName");
        StringBuilder sb = new StringBuilder("<Group><Path>/</Path><GroupName>" + g + "</GroupName><GroupId>AGPA1</GroupId>"
            + "<Arn>arn:aws:iam::" + ACCOUNT + ":group/" + g + "</Arn><CreateDate>2026-12-03T12:00:00Z</CreateDate></Group><Users>");
        for (String n : groups.getOrDefault(g, Set.of())) {
          sb.append("<member>").append(userXml(users.get(n))).append("</member>");
        }
        return ok(action, sb + "</Users><IsTruncated>false</IsTruncated>");
      }
      default:
        return new String[] {"400", iamError("Sender", "InvalidAction", "Could not find operation " + action)};
    }
  }

  private static String userXml(User u) {
    return "<Path>" + u.path + "</Path><UserName>" + u.name + "</UserName><UserId>AIDA" + (u.name.hashCode() & 0xffffff)
        + "</UserId><Arn>arn:aws:iam::" + ACCOUNT + ":user" + u.path + u.name + "</Arn><CreateDate>2026-12-03T12:00:00Z</CreateDate>";
  }

  private static String[] ok(String action, String result) {
    return new String[] {"200", "<" + action + "Response xmlns=\"" + IAM_NS + "\">"
        + (result == null ? "" : "<" + action + "Result>" + result + "</" + action + "Result>")
        + "<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></"
        + action + "Response>"};
  }

  private static String iamError(String type, String code, String message) {
    return "<ErrorResponse xmlns=\"" + IAM_NS + "\"><Error><Type>" + type + "</Type><Code>" + code + "</Code><Message>"
        + message + "</Message></Error><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ErrorResponse>";
  }

  private static Map<String, String> form(String body) {
    Map<String, String> m = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return m;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return m;
  }

  // ---------------------------------------------------------------- Secrets Manager

  private static Map<String, String> jsonParams(String body) {
    Map<String, String> m = new LinkedHashMap<>();
    try {
      JsonNode n = JSON.readTree(body);
      n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    } catch (IOException e) {
      m.put("?", body);
    }
    return m;
  }

  private String[] secretsManager(String action, String body) {
    JsonNode in;
    try {
      in = JSON.readTree(body);
    } catch (IOException e) {
      return new String[] {"400", smError("SerializationException", "bad JSON")};
    }
    String id = in.has("SecretId") ? in.get("SecretId").asText() : in.path("Name").asText();
    if (action.equals("CreateSecret")) {
      if (secrets.containsKey(id)) {
        return new String[] {"400", smError("ResourceExistsException", "The operation failed because the secret " + id + " already exists.")};
      }
      Map<String, Version> versions = new LinkedHashMap<>();
      String token = in.path("ClientRequestToken").asText();
      Version v = new Version(in.path("SecretString").asText());
      v.stages.add("AWSCURRENT");
      versions.put(token, v);
      secrets.put(id, versions);
      ObjectNode out = JSON.createObjectNode().put("ARN", arn(id)).put("Name", id).put("VersionId", token);
      return new String[] {"200", out.toString()};
    }
    Map<String, Version> versions = secrets.get(id);
    if (versions == null) {
      return new String[] {"400", smError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")};
    }
    switch (action) {
      case "DescribeSecret": {
        ObjectNode out = JSON.createObjectNode().put("ARN", arn(id)).put("Name", id);
        ObjectNode stages = out.putObject("VersionIdsToStages");
        versions.forEach((vid, v) -> {
          if (!v.stages.isEmpty()) {
            ArrayNode a = stages.putArray(vid);
            v.stages.forEach(a::add);
          }
        });
        return new String[] {"200", out.toString()};
      }
      case "GetSecretValue": {
        String vid = in.has("VersionId") ? in.get("VersionId").asText() : null;
        String stage = in.has("VersionStage") ? in.get("VersionStage").asText() : (vid == null ? "AWSCURRENT" : null);
        for (Map.Entry<String, Version> e : versions.entrySet()) {
          if ((vid == null || vid.equals(e.getKey())) && (stage == null || e.getValue().stages.contains(stage))) {
            ObjectNode out = JSON.createObjectNode().put("ARN", arn(id)).put("Name", id).put("VersionId", e.getKey())
                .put("SecretString", e.getValue().value).put("CreatedDate", 1.7647632E9);
            ArrayNode a = out.putArray("VersionStages");
            e.getValue().stages.forEach(a::add);
            return new String[] {"200", out.toString()};
          }
        }
        return new String[] {"400", smError("ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for " + (vid != null ? "VersionId: " + vid : "staging label: " + stage))};
      }
      case "PutSecretValue": {
        String token = in.path("ClientRequestToken").asText();
        String value = in.path("SecretString").asText();
        List<String> labels = new ArrayList<>();
        if (in.has("VersionStages")) {
          in.get("VersionStages").forEach(s -> labels.add(s.asText()));
        } else {
          labels.add("AWSCURRENT");
        }
        Version existing = versions.get(token);
        if (existing != null) {
          if (!existing.value.equals(value)) {
            return new String[] {"400", smError("ResourceExistsException",
                "You can't modify an existing version, you can only create a new version.")};
          }
        } else {
          versions.put(token, new Version(value));
          for (String l : labels) {
            attach(versions, l, token);
          }
        }
        ObjectNode out = JSON.createObjectNode().put("ARN", arn(id)).put("Name", id).put("VersionId", token);
        ArrayNode a = out.putArray("VersionStages");
        versions.get(token).stages.forEach(a::add);
        return new String[] {"200", out.toString()};
      }
      case "UpdateSecretVersionStage": {
        String stage = in.path("VersionStage").asText();
        String move = in.has("MoveToVersionId") ? in.get("MoveToVersionId").asText() : null;
        String remove = in.has("RemoveFromVersionId") ? in.get("RemoveFromVersionId").asText() : null;
        String holder = versions.entrySet().stream().filter(e -> e.getValue().stages.contains(stage))
            .map(Map.Entry::getKey).findFirst().orElse(null);
        if (remove != null && !remove.equals(holder)) {
          return new String[] {"400", smError("InvalidParameterException",
              "The parameter RemoveFromVersionId doesn't match the version that holds " + stage + ".")};
        }
        if (move != null && holder != null && !holder.equals(move) && remove == null) {
          return new String[] {"400", smError("InvalidParameterException", "The staging label " + stage
              + " is currently attached to version " + holder + ", so you must explicitly reference that version in RemoveFromVersionId.")};
        }
        if (move != null && !versions.containsKey(move)) {
          return new String[] {"400", smError("ResourceNotFoundException", "Secrets Manager can't find the specified secret version.")};
        }
        if (move != null) {
          attach(versions, stage, move);
        } else if (remove != null) {
          versions.get(remove).stages.remove(stage);
        }
        return new String[] {"200", JSON.createObjectNode().put("ARN", arn(id)).put("Name", id).toString()};
      }
      default:
        return new String[] {"400", smError("InvalidRequestException", "unknown operation " + action)};
    }
  }

  /** Moves {@code label} to {@code to}; a moved AWSCURRENT leaves AWSPREVIOUS on the version it left. */
  private static void attach(Map<String, Version> versions, String label, String to) {
    String from = null;
    for (Map.Entry<String, Version> e : versions.entrySet()) {
      if (!e.getKey().equals(to) && e.getValue().stages.remove(label)) {
        from = e.getKey();
      }
    }
    versions.get(to).stages.add(label);
    if (label.equals("AWSCURRENT") && from != null) {
      for (Version v : versions.values()) {
        v.stages.remove("AWSPREVIOUS");
      }
      versions.get(from).stages.add("AWSPREVIOUS");
    }
  }

  private static String arn(String name) {
    return "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:" + name + "-AbCdEf";
  }

  private static String smError(String type, String message) {
    return JSON.createObjectNode().put("__type", type).put("Message", message).toString();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
