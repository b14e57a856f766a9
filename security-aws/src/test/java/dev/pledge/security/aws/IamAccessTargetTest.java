package dev.pledge.security.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.PledgeException;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.time.MutableClock;
import dev.pledge.security.access.AccessBroker;
import dev.pledge.security.access.AccessDrift;
import dev.pledge.security.access.AccessPolicy;
import dev.pledge.security.access.AccessStore;
import dev.pledge.security.access.Granted;
import dev.pledge.security.access.Person;
import dev.pledge.security.access.TargetLogin;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Grants as IAM users on a stand-in for IAM that keeps users, groups, policies and keys the way IAM
 * does and checks every request: a grant makes a user under /pledge/ in the role's group (or with the
 * role's policy attached), with a console password and a deny-after-the-end policy; revocation,
 * expiry and offboarding delete the user with everything it held; drift and P21 are read from IAM.
 */
class IamAccessTargetTest {
  private static final String ADMIN_ARN = IamAccessTarget.ADMINISTRATOR_ACCESS;
  private final FakeAws aws = new FakeAws();
  private final IamClient iam = aws.connection().iam();
  private final MutableClock clock = MutableClock.at("2026-11-02T09:00:00Z");
  private final InMemoryAuditTrail audit = AuditTrail.inMemory();
  private final IamAccessTarget target = IamAccessTarget.of(iam, "aws:" + FakeAws.ACCOUNT, "pledge_", clock);
  @TempDir Path dir;

  @AfterEach
  void stop() {
    iam.close();
    aws.close();
  }

  private AccessPolicy policy(String databaseRole) {
    return PolicyLoader.create().load("policy.yaml", """
        access:
          administrator: mark
          maxGrant: 8h
          roles:
            - name: operations
              permissions: [database.read]
              production: true
              databaseRole: "%s"
        """.formatted(databaseRole)).require(AccessPolicy.class);
  }

  private AccessBroker broker(AccessPolicy policy, AccessStore store, String node) {
    AccessBroker b = AccessBroker.builder(policy).clock(clock).audit(audit).store(store).target(target).node(node).build();
    if (b.people().isEmpty()) {
      b.enrol(Person.employee("mark", "Mark"));
      b.enrol(Person.employee("ana", "Ana"));
    }
    return b;
  }

  @Test
  void aGrantIsAnIamUserInTheRolesGroupWithAConsolePasswordThatStopsAtTheEndAndRevocationDeletesIt() {
    aws.group("prod-readers");
    AccessBroker broker = broker(policy("prod-readers"), AccessStore.folder(dir), "a");

    Granted g = broker.grant("ana", "operations", "aws/production", "INC-7 corrupt orders", Duration.ofHours(2), "mark",
        List.of(target.name()));

    TargetLogin login = g.logins().get(0);
    assertThat(login.username()).startsWith("pledge_ana_g");
    assertThat(login.target()).isEqualTo("aws:123456789012");
    assertThat(login.until()).isEqualTo(Instant.parse("2026-11-02T11:00:00Z"));
    assertThat(login.password().utf8()).hasSize(32).matches(".*[A-Z].*").matches(".*[a-z].*").matches(".*[0-9].*")
        .matches(".*[!#%+=_.-].*");
    FakeAws.User u = aws.users.get(login.username());
    assertThat(u.path).isEqualTo("/pledge/");
    assertThat(u.groups).containsExactly("prod-readers");
    assertThat(u.consolePassword).isEqualTo(login.password().utf8());
    assertThat(u.tags).containsEntry("pledge-grant-until", "2026-11-02T11:00:00Z");
    assertThat(u.inline).containsOnlyKeys(IamAccessTarget.UNTIL_POLICY);
    assertThat(u.inline.get(IamAccessTarget.UNTIL_POLICY)).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":"
        + "[{\"Sid\":\"PledgeGrantEnds\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
        + "{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2026-11-02T11:00:00Z\"}}}]}");
    assertThat(aws.actions()).containsExactly("CreateUser", "PutUserPolicy", "AddUserToGroup", "CreateLoginProfile");
    assertThat(aws.received()).allSatisfy(r -> {
      assertThat(r.headers().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
      assertThat(r.params()).containsEntry("Version", "2010-05-08").containsEntry("UserName", login.username());
      assertThat(r.headers().get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIAPLEDGETEST/")
          .contains("/us-east-1/iam/aws4_request");
    });
    assertThat(aws.received().get(0).params()).containsEntry("Path", "/pledge/");
    assertThat(aws.received().get(2).params()).containsEntry("GroupName", "prod-readers");
    assertThat(aws.received().get(3).params()).containsEntry("PasswordResetRequired", "false");
    assertThat(target.logins()).containsExactly(login.username());
    aws.clearReceived();

    assertThat(broker.revoke(g.grant().id(), "mark")).isTrue();

    assertThat(aws.users).doesNotContainKey(login.username());
    assertThat(aws.groups.get("prod-readers")).isEmpty();
    assertThat(aws.actions()).containsSubsequence("GetUser", "DeleteLoginProfile", "ListAccessKeys", "ListGroupsForUser",
        "RemoveUserFromGroup", "ListAttachedUserPolicies", "ListUserPolicies", "DeleteUserPolicy", "DeleteUser");
    assertThat(target.logins()).isEmpty();
    assertThat(audit.records()).extracting(AuditRecord::action).contains("access.login.create", "access.login.drop");
    assertThat(audit.records()).allSatisfy(r -> assertThat(r.details().values())
        .noneMatch(v -> v.contains(login.password().utf8())));
    assertThat(aws.received()).allSatisfy(r -> assertThat(r.body()).doesNotContain(login.password().utf8()));
  }

  @Test
  void anEarlyRevocationCutsTheConsoleSessionsAlreadyOpenBeforeItRemovesAnythingElse() {
    aws.group("prod-readers");
    AccessStore store = AccessStore.folder(dir);
    AccessBroker broker = broker(policy("prod-readers"), store, "a");
    Granted g = broker.grant("ana", "operations", "aws/production", "INC-11", Duration.ofHours(2), "mark",
        List.of(target.name()));
    String user = g.logins().get(0).username();
    // ana signs in to the console a minute later; her session's credentials carry that issue time
    Instant signedIn = clock.instant().plusSeconds(60);
    clock.advance(Duration.ofMinutes(10).plusMillis(250));
    assertThat(aws.sessionMayAct(user, signedIn, clock.instant())).isTrue();
    // IAM refuses the rest of the removal this time
    aws.deny("DeleteLoginProfile");
    aws.clearReceived();

    assertThat(broker.revoke(g.grant().id(), "mark")).isTrue();

    assertThat(aws.actions()).containsExactly("GetUser", "PutUserPolicy", "DeleteLoginProfile");
    FakeAws.Received put = aws.received().get(1);
    assertThat(put.params()).containsEntry("UserName", user)
        .containsEntry("PolicyName", IamAccessTarget.REVOKE_SESSIONS_POLICY)
        .containsEntry("PolicyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
            + "\"PledgeRevokeOlderSessions\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
            + "\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"2026-11-02T09:10:01Z\"}}}]}");
    assertThat(aws.users).containsKey(user);
    assertThat(aws.users.get(user).groups).as("the removal stopped half way").containsExactly("prod-readers");
    assertThat(aws.sessionMayAct(user, signedIn, clock.instant())).as("the open session is cut all the same").isFalse();
    assertThat(aws.sessionMayAct(user, clock.instant().minusMillis(100), clock.instant()))
        .as("one signed in within the same second too").isFalse();
    assertThat(audit.records()).filteredOn(r -> r.action().equals("access.login.drop"))
        .singleElement().satisfies(r -> assertThat(r.details().get("error")).contains("AccessDenied"));

    // a later sweep on another node finishes the removal, the deny last before the user
    aws.allow("DeleteLoginProfile");
    aws.clearReceived();
    clock.advance(Duration.ofMinutes(6));
    broker(policy("prod-readers"), store, "b").expire();

    assertThat(aws.users).doesNotContainKey(user);
    assertThat(aws.actions()).containsExactly("GetUser", "PutUserPolicy", "DeleteLoginProfile", "ListAccessKeys",
        "ListGroupsForUser", "RemoveUserFromGroup", "ListAttachedUserPolicies", "ListUserPolicies", "DeleteUserPolicy",
        "DeleteUserPolicy", "DeleteUser");
    List<FakeAws.Received> req = aws.received();
    assertThat(req.get(8).params()).containsEntry("PolicyName", IamAccessTarget.UNTIL_POLICY);
    assertThat(req.get(9).params()).containsEntry("PolicyName", IamAccessTarget.REVOKE_SESSIONS_POLICY);
  }

  @Test
  void atTheGrantsEndTheUntilPolicyAloneStopsAnOpenSessionAndTheStandInRefusesAMalformedPolicy() {
    aws.group("prod-readers");
    Instant until = Instant.parse("2026-11-02T10:00:00Z");
    String user = target.createLogin("pledge_ana_g1", "prod-readers", until).username();
    Instant signedIn = Instant.parse("2026-11-02T09:30:00Z");
    assertThat(aws.sessionMayAct(user, signedIn, until)).isTrue();
    assertThat(aws.sessionMayAct(user, signedIn, until.plusSeconds(1))).isFalse();

    assertThatThrownBy(() -> iam.putUserPolicy(r -> r.userName(user).policyName("x").policyDocument("{\"Statement\":[]}")))
        .isInstanceOfSatisfying(software.amazon.awssdk.services.iam.model.IamException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedPolicyDocument"));
  }

  @Test
  void aRoleThatNamesAPolicyArnIsAttachedAndAnExpiredGrantIsDeletedByAnotherNode() {
    String arn = "arn:aws:iam::123456789012:policy/prod-read-only";
    aws.policy(arn);
    AccessStore store = AccessStore.folder(dir);
    Granted g = broker(policy(arn), store, "a").grant("ana", "operations", "aws/production", "INC-8 stuck queue",
        Duration.ofHours(1), "mark", List.of(target.name()));
    String user = g.logins().get(0).username();
    assertThat(aws.users.get(user).attached).containsExactly(arn);
    assertThat(aws.users.get(user).groups).isEmpty();
    aws.user("someone-else");

    clock.advance(Duration.ofMinutes(61));
    AccessBroker other = broker(policy(arn), store, "b");
    assertThat(other.expire()).extracting(x -> x.id()).containsExactly(g.grant().id());

    assertThat(aws.users).containsOnlyKeys("someone-else");
    assertThat(other.drift().clean()).isTrue();
  }

  @Test
  void driftFindsAnOrphanIamUserAndTheHoldersOfAdministratorAccessAcrossPagesAndGroups() {
    aws.group("prod-readers");
    aws.group("admins");
    aws.attachGroupPolicy("admins", ADMIN_ARN);
    AccessStore store = AccessStore.folder(dir);
    AccessBroker broker = broker(policy("prod-readers"), store, "a");
    Granted kept = broker.grant("ana", "operations", "aws/production", "INC-9", Duration.ofHours(1), "mark",
        List.of(target.name()));
    // a user with our prefix that no grant holds, left by hand or by a crash
    IamAccessTarget.of(iam, "aws:" + FakeAws.ACCOUNT, "pledge_").createLogin("pledge_left_over", "prod-readers",
        Instant.parse("2027-01-01T00:00:00Z")).password().destroy();
    aws.user("root-ish").attached.add(ADMIN_ARN);
    aws.user("ops-lead");
    aws.groups.get("admins").add("ops-lead");
    aws.user("ops-lead").groups.add("admins");
    // more users under /pledge/ than one page of ListUsers holds
    for (int i = 0; i < 3; i++) {
      aws.users.put("other" + i, new FakeAws.User("other" + i, "/pledge/"));
    }

    AccessDrift drift = broker.drift();

    AccessDrift.Target t = drift.targets().get(0);
    assertThat(t.actual()).containsExactlyInAnyOrder(kept.logins().get(0).username(), "pledge_left_over");
    assertThat(t.orphans()).containsExactly("pledge_left_over");
    assertThat(t.administrators()).containsExactlyInAnyOrder("root-ish", "ops-lead");
    assertThat(aws.actions()).contains("ListEntitiesForPolicy", "GetGroup");
    assertThat(aws.received().stream().filter(r -> r.action().equals("ListUsers")).count()).isGreaterThan(1);

    assertThat(broker.removeOrphans()).containsExactly("aws:123456789012: pledge_left_over");
    assertThat(aws.users).doesNotContainKey("pledge_left_over").containsKey(kept.logins().get(0).username());
  }

  @Test
  void aGroupThatDoesNotExistRefusesTheGrantNamingTheGroupAndLeavesNoUserBehind() {
    AccessBroker broker = broker(policy("no-such-group"), AccessStore.folder(dir), "a");

    assertThatThrownBy(() -> broker.grant("ana", "operations", "aws/production", "INC-10", Duration.ofHours(1), "mark",
        List.of(target.name())))
        .isInstanceOf(PledgeException.class)
        .hasMessageContaining("IAM group 'no-such-group' does not exist")
        .hasMessageNotContaining("Exception");
    assertThat(aws.users).isEmpty();
  }

  @Test
  void dropIsIdempotentAndTouchesOnlyUsersWithThePrefix() {
    aws.group("g");
    target.createLogin("pledge_x_g1", "g", Instant.parse("2027-01-01T00:00:00Z")).password().destroy();
    assertThat(target.dropLogin("pledge_x_g1")).isTrue();
    assertThat(target.dropLogin("pledge_x_g1")).isFalse();
    assertThatThrownBy(() -> target.dropLogin("alice")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not start with 'pledge_'");
    assertThatThrownBy(() -> target.createLogin("pledge_y", "not a group!", Instant.parse("2027-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IAM group name or a policy ARN");
  }
}
