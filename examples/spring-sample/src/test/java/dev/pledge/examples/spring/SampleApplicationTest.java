package dev.pledge.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The sample service on a random port, driven over real HTTP with the JDK's client; one context for the class. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @LocalServerPort
  int port;

  @Autowired
  AccountStore accounts;

  @Autowired
  PasswordEncoder encoder;

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBurstBeyondThePolicysLimitGets429sWithRetryAfterAndTheRateLimitFields() throws Exception {
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      responses.add(get("/api/greeting"));
    }

    // the policy's api limit: bursts of 10, then 100 an hour (one permit every 36 s)
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> ok = responses.get(i);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("hello");
      assertThat(ok.headers().firstValue("RateLimit-Policy")).hasValue("\"api\";q=100;w=3600");
      String remaining = "\"api\";r=" + (9 - i) + ";t=";
      assertThat(ok.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith(remaining));
    }
    for (HttpResponse<String> refused : responses.subList(10, 12)) {
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue("\"api\";q=100;w=3600");
      assertThat(refused.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"api\";r=0;t="));
      long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
      assertThat(retryAfter).isBetween(1L, 36L);
      assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    }

    // paths outside pledge.rate-limit.paths are not limited and carry no fields
    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue("RateLimit")).isEmpty();

    // the limiter's decisions are Micrometer meters
    JsonNode rejected = JSON.readTree(get("/actuator/metrics/pledge.ratelimit.decisions?tag=limit:api&tag=outcome:rejected").body());
    assertThat(rejected.at("/measurements/0/value").asDouble()).isEqualTo(2.0);
    JsonNode allowed = JSON.readTree(get("/actuator/metrics/pledge.ratelimit.decisions?tag=limit:api&tag=outcome:allowed").body());
    assertThat(allowed.at("/measurements/0/value").asDouble()).isEqualTo(10.0);
  }

  @Test
  void registrationRefusesAWeakPasswordWithPledgesCodesAndStoresABcryptHashOfAGoodOne() throws Exception {
    HttpResponse<String> weak = post("/accounts", "{\"username\":\"ana\",\"password\":\"monkey123\"}");

    assertThat(weak.statusCode()).isEqualTo(422);
    List<String> codes = new ArrayList<>();
    JSON.readTree(weak.body()).get("violations").forEach(v -> codes.add(v.get("code").asText()));
    assertThat(codes).contains("TOO_SHORT", "MISSING_UPPERCASE", "MISSING_SYMBOL", "COMMON_PASSWORD");
    assertThat(accounts.hash("ana")).isEmpty();

    String good = "Plum-Orbit-42-Lantern";
    HttpResponse<String> created = post("/accounts", "{\"username\":\"ana\",\"password\":\"" + good + "\"}");

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue("/accounts/ana");
    assertThat(created.body()).doesNotContain(good).doesNotContain("$2");
    String stored = accounts.hash("ana").orElseThrow();
    assertThat(stored).startsWith("{bcrypt}$2b$12$");
    assertThat(encoder.matches(good, stored)).isTrue();
    // the stored hash is plain bcrypt under its id: Spring's own encoder reads it
    assertThat(new BCryptPasswordEncoder().matches(good, stored.substring("{bcrypt}".length()))).isTrue();
    assertThat(post("/accounts", "{\"username\":\"ana\",\"password\":\"" + good + "\"}").statusCode()).isEqualTo(409);
  }

  @Test
  void theHealthEndpointShowsThePledgeIndicators() throws Exception {
    HttpResponse<String> response = get("/actuator/health");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = JSON.readTree(response.body());
    assertThat(health.get("status").asText()).isEqualTo("UP");
    JsonNode policy = health.at("/components/pledgePolicy");
    assertThat(policy.get("status").asText()).isEqualTo("UP");
    assertThat(policy.at("/details/source").asText()).isEqualTo("classpath:policy.yaml");
    JsonNode onCall = health.at("/components/pledgeOnCall");
    assertThat(onCall.get("status").asText()).isEqualTo("UP");
    assertThat(onCall.at("/details/covered").asBoolean()).isTrue();
    assertThat(onCall.at("/details/coverWeeks").asInt()).isEqualTo(8);
  }
}
