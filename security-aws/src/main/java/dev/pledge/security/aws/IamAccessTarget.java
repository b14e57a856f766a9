package dev.pledge.security.aws;

import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.security.access.AccessTarget;
import dev.pledge.security.access.TargetLogin;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ListEntitiesForPolicyResponse;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyGroup;
import software.amazon.awssdk.services.iam.model.PolicyUser;
import software.amazon.awssdk.services.iam.model.User;

/**
 * Just-in-time access to an AWS account (P15, P17, P18): each grant becomes an IAM user of its own,
 * under the path {@code /pledge/}, that signs in to the console with a random password and holds
 * the rights of the policy's role, and is deleted when the grant ends.
 *
 * <p>The policy role's {@code databaseRole} names what the user holds: an IAM group it is added to
 * ({@code AddUserToGroup}), or, when it reads {@code arn:...}, a managed policy attached to it
 * ({@code AttachUserPolicy}). Like PostgreSQL's {@code VALID UNTIL}, an inline policy
 * ({@value #UNTIL_POLICY}) denies every action once {@code aws:CurrentTime} is past the grant's
 * end, so the rights stop at the end even before a sweep deletes the user; as it holds for every
 * request, console sessions still open at the end stop with it.
 *
 * <p>Ending a grant early (revocation, offboarding) must also end the console sessions already open,
 * which a removed password does not do: a signed-in session keeps its temporary credentials. So
 * {@link #dropLogin} first puts the inline policy {@value #REVOKE_SESSIONS_POLICY}, IAM's standard way
 * of revoking active sessions: it denies every action to credentials whose {@code aws:TokenIssueTime}
 * is before now (rounded up to the next second). Then it removes the console password, every access
 * key, the group memberships, attached and inline policies, and last that deny, just before the user
 * itself. If IAM refuses a step in between, the sessions are already cut and the user keeps the deny
 * until a later sweep finishes the removal. The password is returned once and kept nowhere.
 *
 * <p>{@link #administrators()} lists the users that hold {@code AdministratorAccess}, attached or
 * through a group (P21). Thread-safe (the SDK client is); {@link #dropLogin} is idempotent.
 */
public final class IamAccessTarget implements AccessTarget {
  /** The inline policy that ends a grant's rights at its end. */
  public static final String UNTIL_POLICY = "pledge-grant-until";
  /** The inline policy that ends the sessions open when a grant ends early. */
  public static final String REVOKE_SESSIONS_POLICY = "pledge-revoke-sessions";
  /** The path of every user this target makes. */
  public static final String PATH = "/pledge/";
  /** The AWS managed policy whose holders have complete administrative access. */
  public static final String ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,128}");
  private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/[A-Za-z0-9+=,.@_/-]{1,512}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final IamClient iam;
  private final String name;
  private final String prefix;
  private final Clock clock;

  private IamAccessTarget(IamClient iam, String name, String prefix, Clock clock) {
    this.iam = iam;
    this.name = name;
    this.prefix = prefix;
    this.clock = clock;
  }

  /**
   * A target on the account {@code iam} reaches.
   *
   * @param iam a client whose credentials may manage IAM users, groups and policies under {@value #PATH}
   * @param name the target's name, as grants record it (such as {@code aws:123456789012})
   * @param loginPrefix the prefix of the user names it makes, such as {@code pledge_}
   */
  public static IamAccessTarget of(IamClient iam, String name, String loginPrefix) {
    return of(iam, name, loginPrefix, Clock.systemUTC());
  }

  /**
   * A target on the account {@code iam} reaches, whose session revocations are dated by {@code clock}.
   *
   * @param iam a client whose credentials may manage IAM users, groups and policies under {@value #PATH}
   * @param name the target's name, as grants record it (such as {@code aws:123456789012})
   * @param loginPrefix the prefix of the user names it makes, such as {@code pledge_}
   * @param clock the clock that says when a login is dropped (normally the broker's)
   */
  public static IamAccessTarget of(IamClient iam, String name, String loginPrefix, Clock clock) {
    Objects.requireNonNull(iam, "iam");
    Objects.requireNonNull(clock, "clock");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("target name must not be blank");
    }
    if (loginPrefix == null || !NAME.matcher(loginPrefix).matches() || loginPrefix.length() > 32) {
      throw new IllegalArgumentException("login prefix must be 1-32 of A-Z a-z 0-9 + = , . @ _ -, got '"
          + loginPrefix + "'");
    }
    return new IamAccessTarget(iam, name, loginPrefix, clock);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String loginPrefix() {
    return prefix;
  }

  @Override
  public TargetLogin createLogin(String login, String databaseRole, Instant until) {
    requireOurs(login);
    Objects.requireNonNull(until, "until");
    boolean policy = databaseRole != null && databaseRole.startsWith("arn:");
    if (databaseRole == null || !(policy ? ARN.matcher(databaseRole).matches() : GROUP.matcher(databaseRole).matches())) {
      throw new IllegalArgumentException(name + ": the role must map to an IAM group name or a policy ARN, got '"
          + databaseRole + "'");
    }
    Secret password = password();
    try {
      try {
        iam.createUser(r -> r.userName(login).path(PATH)
            .tags(t -> t.key("pledge-grant-until").value(until.truncatedTo(ChronoUnit.SECONDS).toString())));
      } catch (software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException e) {
        // a retried grant: the user is ours (its name is), so it is set up again below
      }
      iam.putUserPolicy(r -> r.userName(login).policyName(UNTIL_POLICY).policyDocument(untilPolicy(until)));
      if (policy) {
        iam.attachUserPolicy(r -> r.userName(login).policyArn(databaseRole));
      } else {
        iam.addUserToGroup(r -> r.userName(login).groupName(databaseRole));
      }
      try {
        iam.createLoginProfile(r -> r.userName(login).password(password.utf8()).passwordResetRequired(false));
      } catch (software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException e) {
        iam.updateLoginProfile(r -> r.userName(login).password(password.utf8()).passwordResetRequired(false));
      }
      return new TargetLogin(name, login, password, until);
    } catch (NoSuchEntityException e) {
      password.destroy();
      dropQuietly(login);
      throw new PledgeException(name + ": IAM " + (policy ? "policy '" : "group '") + databaseRole
          + "' does not exist; create it with the rights the policy's role needs (" + message(e) + ")");
    } catch (SdkException e) {
      password.destroy();
      dropQuietly(login);
      throw new PledgeException(name + ": IAM refused to create user '" + login + "': " + message(e), e);
    }
  }

  @Override
  public boolean dropLogin(String login) {
    requireOurs(login);
    try {
      try {
        iam.getUser(r -> r.userName(login));
      } catch (NoSuchEntityException e) {
        return false;
      }
      // first cut the sessions already open, so a refusal further on leaves none of them working
      String revoke = revokeSessionsPolicy(clock.instant());
      try {
        iam.putUserPolicy(r -> r.userName(login).policyName(REVOKE_SESSIONS_POLICY).policyDocument(revoke));
      } catch (NoSuchEntityException e) {
        return false;
      }
      try {
        iam.deleteLoginProfile(r -> r.userName(login));
      } catch (NoSuchEntityException e) {
        // no console password (never made, or removed by an earlier attempt)
      }
      for (AccessKeyMetadata k : iam.listAccessKeysPaginator(r -> r.userName(login)).accessKeyMetadata()) {
        ignoreGone(() -> iam.deleteAccessKey(r -> r.userName(login).accessKeyId(k.accessKeyId())));
      }
      for (Group g : iam.listGroupsForUserPaginator(r -> r.userName(login)).groups()) {
        ignoreGone(() -> iam.removeUserFromGroup(r -> r.userName(login).groupName(g.groupName())));
      }
      for (AttachedPolicy p : iam.listAttachedUserPoliciesPaginator(r -> r.userName(login)).attachedPolicies()) {
        ignoreGone(() -> iam.detachUserPolicy(r -> r.userName(login).policyArn(p.policyArn())));
      }
      for (String p : iam.listUserPoliciesPaginator(r -> r.userName(login)).policyNames()) {
        if (!p.equals(REVOKE_SESSIONS_POLICY)) {
          ignoreGone(() -> iam.deleteUserPolicy(r -> r.userName(login).policyName(p)));
        }
      }
      // a user with an inline policy cannot be deleted, so the deny goes last, when nothing is left to deny
      ignoreGone(() -> iam.deleteUserPolicy(r -> r.userName(login).policyName(REVOKE_SESSIONS_POLICY)));
      try {
        iam.deleteUser(r -> r.userName(login));
      } catch (NoSuchEntityException e) {
        return false;
      }
      return true;
    } catch (SdkException e) {
      throw new PledgeException(name + ": IAM refused to delete user '" + login + "': " + message(e), e);
    }
  }

  @Override
  public List<String> logins() {
    try {
      List<String> out = new ArrayList<>();
      String marker = null;
      do {
        String m = marker;
        ListUsersResponse page = iam.listUsers(r -> r.pathPrefix(PATH).marker(m));
        for (User u : page.users()) {
          if (u.userName().startsWith(prefix)) {
            out.add(u.userName());
          }
        }
        marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
      } while (marker != null);
      return out;
    } catch (SdkException e) {
      throw new PledgeException(name + ": IAM refused to list users: " + message(e), e);
    }
  }

  @Override
  public List<String> administrators() {
    try {
      Set<String> out = new LinkedHashSet<>();
      String marker = null;
      do {
        String m = marker;
        ListEntitiesForPolicyResponse page = iam.listEntitiesForPolicy(r -> r.policyArn(ADMINISTRATOR_ACCESS).marker(m));
        for (PolicyUser u : page.policyUsers()) {
          out.add(u.userName());
        }
        for (PolicyGroup g : page.policyGroups()) {
          iam.getGroupPaginator(r -> r.groupName(g.groupName())).users().forEach(u -> out.add(u.userName()));
        }
        marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
      } while (marker != null);
      return List.copyOf(out);
    } catch (SdkException e) {
      throw new PledgeException(name + ": IAM refused to list the holders of AdministratorAccess: " + message(e), e);
    }
  }

  /** The inline policy document that denies everything once {@code until} has passed. */
  static String untilPolicy(Instant until) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PledgeGrantEnds\",\"Effect\":\"Deny\","
        + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\""
        + until.truncatedTo(ChronoUnit.SECONDS) + "\"}}}]}";
  }

  /**
   * The inline policy document that denies everything to credentials issued before {@code at},
   * rounded up to the next whole second so that a session issued within that second is cut too.
   */
  static String revokeSessionsPolicy(Instant at) {
    Instant t = at.truncatedTo(ChronoUnit.SECONDS);
    if (t.isBefore(at)) {
      t = t.plusSeconds(1);
    }
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PledgeRevokeOlderSessions\",\"Effect\":\"Deny\","
        + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\""
        + t + "\"}}}]}";
  }

  /**
   * A 32-character console password with upper- and lower-case letters, digits and a symbol, so
   * that it meets any IAM account password policy up to that length.
   */
  static Secret password() {
    String upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    String lower = "abcdefghijkmnopqrstuvwxyz";
    String digits = "23456789";
    String symbols = "!#%+-=_.";
    String all = upper + lower + digits + symbols;
    char[] c = new char[32];
    c[0] = upper.charAt(RANDOM.nextInt(upper.length()));
    c[1] = lower.charAt(RANDOM.nextInt(lower.length()));
    c[2] = digits.charAt(RANDOM.nextInt(digits.length()));
    c[3] = symbols.charAt(RANDOM.nextInt(symbols.length()));
    for (int i = 4; i < c.length; i++) {
      c[i] = all.charAt(RANDOM.nextInt(all.length()));
    }
    for (int i = c.length - 1; i > 0; i--) {
      int j = RANDOM.nextInt(i + 1);
      char t = c[i];
      c[i] = c[j];
      c[j] = t;
    }
    Secret s = Secret.ofUtf8(new String(c));
    java.util.Arrays.fill(c, '\0');
    return s;
  }

  private void dropQuietly(String login) {
    try {
      dropLogin(login);
    } catch (RuntimeException e) {
      // the user stays an orphan with a deny-after policy; the posture report finds and removes it
    }
  }

  private static void ignoreGone(Runnable call) {
    try {
      call.run();
    } catch (NoSuchEntityException e) {
      // already gone: another node swept it
    }
  }

  /** The service's error code and message, never a request's content. */
  static String message(SdkException e) {
    if (e instanceof IamException ie && ie.awsErrorDetails() != null) {
      return ie.awsErrorDetails().errorCode() + ": " + ie.awsErrorDetails().errorMessage();
    }
    return e.getMessage();
  }

  private void requireOurs(String login) {
    if (login == null || !NAME.matcher(login).matches()) {
      throw new IllegalArgumentException(name + ": an IAM user name is 1-64 of A-Z a-z 0-9 + = , . @ _ -, got '"
          + login + "'");
    }
    if (!login.startsWith(prefix)) {
      throw new IllegalArgumentException(name + ": login '" + login + "' does not start with '" + prefix
          + "'; Pledge touches only the users it made");
    }
  }

  @Override
  public String toString() {
    return "IamAccessTarget[" + name + ", prefix " + prefix + "]";
  }
}
