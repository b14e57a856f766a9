package dev.pledge.examples.modular;

import dev.pledge.backup.BackupPolicy;
import dev.pledge.core.PledgeException;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.security.password.PasswordRules;
import dev.pledge.security.password.PasswordValidator;
import dev.pledge.security.password.PasswordsPolicy;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.Report;
import dev.pledge.sla.severity.SlaPolicy;
import java.nio.file.Path;

/**
 * Loads a policy document on the module path and proves each module works there: every section is
 * bound to its module's type, the password validator reads zxcvbn's common-password list, the SLA
 * classifier runs, and the backup section's S3 locations are understood.
 *
 * <p>Prints one line per section ({@code bound NAME TYPE}) and per check; exits 0 when every section
 * is bound and every check passes, 1 otherwise, 2 when the policy cannot be loaded.
 */
public final class ModularApp {
  private ModularApp() {}

  /**
   * Runs the checks.
   *
   * @param args the policy file
   */
  public static void main(String[] args) {
    PolicyDocument doc;
    try {
      doc = PolicyLoader.create().load(Path.of(args[0]));
    } catch (PledgeException e) {
      System.err.println("cannot load " + args[0] + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    boolean ok = true;
    for (String name : doc.sectionNames()) {
      Object section = doc.section(name).orElseThrow();
      System.out.println("bound " + name + " " + section.getClass().getName());
    }
    for (String name : doc.unboundSectionNames()) {
      System.out.println("UNBOUND " + name);
      ok = false;
    }
    doc.warnings().forEach(w -> System.out.println("warning " + w));

    PasswordValidator validator = PasswordValidator.create(PasswordRules.from(doc.require(PasswordsPolicy.class)));
    boolean common = !validator.validate("Password123!").valid();
    System.out.println("check common-password list refuses Password123!: " + common);
    ok &= common;

    String tier = Classifier.from(doc.require(SlaPolicy.class)).classify(Report.of("the shop is down")).tier().name();
    System.out.println("check classifier: 'the shop is down' is " + tier);

    BackupPolicy backups = doc.require(BackupPolicy.class);
    System.out.println("check backups: " + backups.locations().size() + " locations");
    System.out.println("module " + ModularApp.class.getModule().getName() + " on the module path: "
        + ModularApp.class.getModule().isNamed());
    System.exit(ok ? 0 : 1);
  }
}
