package dev.pledge.examples.spring;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/greeting}: an API endpoint under the policy's {@code api} rate limit (P13). */
@RestController
public class GreetingController {

  /** A greeting. */
  @GetMapping("/api/greeting")
  public Map<String, String> greeting() {
    return Map.of("greeting", "hello");
  }
}
