package dev.pledge.spring.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.time.ManualTicker;
import dev.pledge.security.ratelimit.KeyedRateLimiter;
import dev.pledge.security.ratelimit.RateLimit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RateLimitFilterTest {
  private final ManualTicker ticker = ManualTicker.create();
  private final KeyedRateLimiter<String> limiter = KeyedRateLimiter.<String>builder("api")
      .limit(RateLimit.builder().permits(1).per(Duration.ofSeconds(10)).burst(3).build())
      .ticker(ticker).build();
  private final RateLimitFilter filter = RateLimitFilter.create(limiter, List.of("/api/**"),
      ClientKeyResolver.principalOrRemoteAddress());

  private MockHttpServletResponse call(String path, String address, String user) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
    request.setRemoteAddr(address);
    if (user != null) {
      request.setUserPrincipal(() -> user);
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    filter.doFilter(request, response, chain);
    // the application is reached exactly when the request is allowed
    assertThat(chain.getRequest() != null).isEqualTo(response.getStatus() != 429);
    return response;
  }

  @Test
  void aBurstBeyondTheLimitIsRefusedWith429RetryAfterAndTheRateLimitFields() throws Exception {
    for (int i = 0; i < 3; i++) {
      MockHttpServletResponse ok = call("/api/items", "10.0.0.1", null);
      assertThat(ok.getStatus()).isEqualTo(200);
      assertThat(ok.getHeader("RateLimit-Policy")).isEqualTo("\"api\";q=1;w=10");
      assertThat(ok.getHeader("RateLimit")).startsWith("\"api\";r=" + (2 - i) + ";t=");
      assertThat(ok.getHeader("Retry-After")).isNull();
    }

    MockHttpServletResponse refused = call("/api/items", "10.0.0.1", null);

    assertThat(refused.getStatus()).isEqualTo(429);
    assertThat(refused.getHeader("Retry-After")).isEqualTo("10");
    assertThat(refused.getHeader("RateLimit-Policy")).isEqualTo("\"api\";q=1;w=10");
    assertThat(refused.getHeader("RateLimit")).isEqualTo("\"api\";r=0;t=30");
    assertThat(refused.getContentType()).startsWith("application/problem+json");
    assertThat(refused.getContentAsString()).contains("\"status\":429", "retry after 10 s");
  }

  @Test
  void theRetryAfterIsTheTimeUntilAPermitAndThenTheClientIsServedAgain() throws Exception {
    for (int i = 0; i < 3; i++) {
      call("/api/items", "10.0.0.2", null);
    }
    ticker.advance(Duration.ofSeconds(9));
    assertThat(call("/api/items", "10.0.0.2", null).getHeader("Retry-After")).isEqualTo("1");

    ticker.advance(Duration.ofSeconds(1));

    assertThat(call("/api/items", "10.0.0.2", null).getStatus()).isEqualTo(200);
  }

  @Test
  void clientsAreKeyedByPrincipalElseByAddress() throws Exception {
    for (int i = 0; i < 3; i++) {
      call("/api/items", "10.0.0.3", null);
    }
    assertThat(call("/api/items", "10.0.0.3", null).getStatus()).isEqualTo(429);

    // another address, and an authenticated user behind the exhausted address, each have their own burst
    assertThat(call("/api/items", "10.0.0.4", null).getStatus()).isEqualTo(200);
    assertThat(call("/api/items", "10.0.0.3", "ana").getStatus()).isEqualTo(200);
    assertThat(limiter.availablePermits("principal:ana")).isEqualTo(2);
    assertThat(limiter.availablePermits("address:10.0.0.3")).isZero();
  }

  @Test
  void aLimitOfSeveralRatesNamesEachRateAndReportsTheCombinedBounds() throws Exception {
    // the bundled policy's api limit: 20 a second in bursts of 40, and 1000 an hour
    KeyedRateLimiter<String> api = KeyedRateLimiter.<String>builder("api")
        .limit(RateLimit.builder().permits(20).per(Duration.ofSeconds(1)).burst(40).build())
        .limit(RateLimit.of(1000, Duration.ofHours(1))).ticker(ticker).build();
    RateLimitFilter two = RateLimitFilter.create(api, List.of("/**"), ClientKeyResolver.principalOrRemoteAddress());
    MockHttpServletResponse last = null;
    for (int i = 0; i < 41; i++) {
      MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders");
      request.setRemoteAddr("10.0.0.9");
      last = new MockHttpServletResponse();
      two.doFilter(request, last, new MockFilterChain());
    }

    assertThat(last.getStatus()).isEqualTo(429);
    assertThat(last.getHeader("RateLimit-Policy")).isEqualTo("\"api-1s\";q=20;w=1, \"api-1h\";q=1000;w=3600");
    // 40 permits of the hourly rate take 144 s to come back, the burst rate's 2 s are within them
    assertThat(last.getHeader("RateLimit")).isEqualTo("\"api-1s\";r=0;t=144, \"api-1h\";r=0;t=144");
    assertThat(last.getHeader("Retry-After")).isEqualTo("1");
  }

  @Test
  void requestsOutsideThePathsPassUntouchedAndTakeNoPermit() throws Exception {
    MockHttpServletResponse other = call("/health", "10.0.0.5", null);

    assertThat(other.getStatus()).isEqualTo(200);
    assertThat(other.getHeader("RateLimit")).isNull();
    assertThat(other.getHeader("RateLimit-Policy")).isNull();
    assertThat(limiter.availablePermits("address:10.0.0.5")).isEqualTo(3);
  }

  @Test
  void pathsAreMatchedWithoutTheContextPath() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/shop/api/items");
    request.setContextPath("/shop");
    request.setRemoteAddr("10.0.0.6");
    MockHttpServletResponse response = new MockHttpServletResponse();

    filter.doFilter(request, response, new MockFilterChain());

    assertThat(response.getHeader("RateLimit")).startsWith("\"api\";r=2;");
  }

  @Test
  void pathParametersAndPercentEncodingDoNotSlipPastThePatterns() throws Exception {
    // Spring MVC maps both of these to a handler under /api/**, so both must take a permit
    for (String uri : new String[] {"/api;jsessionid=1/items", "/%61pi/items"}) {
      MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
      request.setRemoteAddr("10.0.0.7");
      MockHttpServletResponse response = new MockHttpServletResponse();
      filter.doFilter(request, response, new MockFilterChain());
      assertThat(response.getHeader("RateLimit")).as(uri).isNotNull();
    }
    assertThat(limiter.availablePermits("address:10.0.0.7")).isEqualTo(1);
  }

  @Test
  void aFilterWithoutPathsOrWithAMalformedPatternIsRefusedNamingTheSetting() {
    ClientKeyResolver clients = ClientKeyResolver.principalOrRemoteAddress();
    assertThatThrownBy(() -> RateLimitFilter.create(limiter, List.of(), clients))
        .hasMessageContaining("pledge.rate-limit.paths");
    assertThatThrownBy(() -> RateLimitFilter.create(limiter, List.of("/api/{x"), clients))
        .hasMessageContaining("'/api/{x' is not a path pattern");
  }
}
