package dev.pledge.security.totp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an account's recovery codes (their hashes) live, so that redeeming one is a single atomic
 * removal that every node sees (P26): {@link RecoveryCodes#redeem(String, String,
 * dev.pledge.security.password.PasswordHasher, RecoveryCodeStore)} finds the matching hash, then
 * {@link #consume} removes exactly that hash and reports whether this call removed it. Of two nodes
 * redeeming one code at once, one succeeds. Implementations are thread-safe; {@link JdbcRecoveryCodeStore}
 * shares codes through PostgreSQL, MariaDB or H2, {@link #inMemory()} holds them in this process.
 */
public interface RecoveryCodeStore {

  /** Replaces the account's codes with {@code codes} (after issuing new ones). */
  void replace(String account, RecoveryCodes codes);

  /** The account's unused codes (none for an unknown account). */
  RecoveryCodes load(String account);

  /** Removes {@code hash} from the account's codes; true only for the one call that removed it. */
  boolean consume(String account, String hash);

  /** Codes held in this process, lost when it ends. */
  static RecoveryCodeStore inMemory() {
    Map<String, List<String>> codes = new ConcurrentHashMap<>();
    return new RecoveryCodeStore() {
      @Override
      public void replace(String account, RecoveryCodes c) {
        codes.put(account, new ArrayList<>(c.hashes()));
      }

      @Override
      public RecoveryCodes load(String account) {
        List<String> l = codes.get(account);
        if (l == null) {
          return new RecoveryCodes(List.of());
        }
        synchronized (l) {
          return new RecoveryCodes(l);
        }
      }

      @Override
      public boolean consume(String account, String hash) {
        List<String> l = codes.get(account);
        if (l == null) {
          return false;
        }
        synchronized (l) {
          return l.remove(hash);
        }
      }
    };
  }
}
