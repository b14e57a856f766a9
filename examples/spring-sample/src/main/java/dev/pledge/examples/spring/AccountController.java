package dev.pledge.examples.spring;

import dev.pledge.security.password.PasswordContext;
import dev.pledge.security.password.PasswordValidator;
import dev.pledge.security.password.ValidationResult;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /accounts}: registers an account if its password keeps the policy (P24), storing only the
 * encoder's bcrypt hash (P23). A refused password is answered {@code 422} with Pledge's stable violation
 * codes and their messages, so a client can show every problem at once.
 */
@RestController
public class AccountController {
  private final PasswordValidator validator;
  private final PasswordEncoder encoder;
  private final AccountStore accounts;

  /** The controller, with the starter's validator and encoder. */
  public AccountController(PasswordValidator validator, PasswordEncoder encoder, AccountStore accounts) {
    this.validator = validator;
    this.encoder = encoder;
    this.accounts = accounts;
  }

  /** A registration request. */
  public record Registration(String username, String password) {}

  /** Registers {@code registration}; never echoes the password or its hash. */
  @PostMapping("/accounts")
  public ResponseEntity<Map<String, Object>> register(@RequestBody Registration registration) {
    if (registration.username() == null || registration.username().isBlank() || registration.password() == null) {
      return ResponseEntity.badRequest().body(Map.of("error", "username and password are required"));
    }
    ValidationResult result = validator.validate(registration.password(), PasswordContext.of(registration.username()));
    if (!result.valid()) {
      List<Map<String, String>> violations = result.violations().stream()
          .map(v -> Map.of("code", v.code().name(), "message", v.message())).toList();
      return ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY).body(Map.of("violations", violations));
    }
    if (!accounts.create(registration.username(), encoder.encode(registration.password()))) {
      return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "username is taken"));
    }
    return ResponseEntity.created(URI.create("/accounts/" + registration.username()))
        .body(Map.of("username", registration.username()));
  }
}
