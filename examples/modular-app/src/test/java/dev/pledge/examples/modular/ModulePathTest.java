package dev.pledge.examples.modular;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pledge as named modules, the way a JPMS host uses it: the app runs in a child JVM on the module path
 * only (no class path) and loads the bundled policy with every section bound; a host module that
 * imports an {@code internal} package does not compile.
 */
class ModulePathTest {
  private static final Path BUNDLED = Path.of("../src/main/resources/policy.yaml");

  private static String modulePath() throws IOException {
    String deps = Files.readString(Path.of("target/module-path.txt")).strip();
    return Path.of("target/classes").toAbsolutePath() + File.pathSeparator + deps;
  }

  /** Runs the app in a child JVM on the module path alone, with {@code options} for that JVM; its output. */
  private static String runApp(String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "--module-path", modulePath()));
    command.addAll(List.of(options));
    command.addAll(List.of("-m", "dev.pledge.examples.modular/dev.pledge.examples.modular.ModularApp", BUNDLED.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the app finished").isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  @Test
  void theBundledPolicyLoadsOnTheModulePathWithEverySectionBound() throws Exception {
    String text = runApp();

    List<String> sections = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^([A-Za-z]+):").matcher(Files.readString(BUNDLED));
    while (m.find()) {
      sections.add(m.group(1));
    }
    assertThat(sections).contains("passwords", "loginThrottle", "backups", "sla", "alerts");
    for (String s : sections) {
      assertThat(text).as(text).containsPattern("(?m)^bound " + s + " dev\\.pledge\\.");
    }
    assertThat(text).doesNotContain("UNBOUND").doesNotContain("is not checked")
        .contains("check common-password list refuses Password123!: true")
        .contains("module dev.pledge.examples.modular on the module path: true");
  }

  @Test
  void aHostModuleCannotCompileAgainstAnInternalPackage(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/host"));
    Files.writeString(src.resolve("module-info.java"), "module host { requires dev.pledge.security; }");
    Files.createDirectories(src.resolve("host"));
    Files.writeString(src.resolve("host/Peek.java"), "package host;\n"
        + "public class Peek { Object o = dev.pledge.security.password.internal.CommonPasswords.instance(); }\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = javac.run(null, null, err, "--module-path", modulePath(), "-classpath", dir.toString(), "-d", dir.resolve("out").toString(),
        src.resolve("module-info.java").toString(), src.resolve("host/Peek.java").toString());
    String diagnostics = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(diagnostics).isNotZero();
    assertThat(diagnostics).contains("package dev.pledge.security.password.internal is not visible")
        .contains("declared in module dev.pledge.security, which does not export it");

    // the same host compiles against the API package
    Files.writeString(src.resolve("host/Peek.java"), "package host;\n"
        + "public class Peek { Object o = dev.pledge.security.password.PasswordRules.document(); }\n");
    err.reset();
    code = javac.run(null, null, err, "--module-path", modulePath(), "-classpath", dir.toString(), "-d", dir.resolve("out").toString(),
        src.resolve("module-info.java").toString(), src.resolve("host/Peek.java").toString());
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
  }

  @Test
  void theOptionalAwsArtifactsResolveBesideTheAppOnTheModulePath() throws Exception {
    // no module requires them, so the JVM is asked to resolve them: a missing or split package among
    // them and the AWS SDK's modules would stop it before the app runs
    String text = runApp("--add-modules", "dev.pledge.security.aws,dev.pledge.backup.s3,dev.pledge.sla.aws",
        "--show-module-resolution");
    assertThat(text).containsPattern("(?m)^root dev\\.pledge\\.security\\.aws ")
        .containsPattern("(?m)^dev\\.pledge\\.security\\.aws requires software\\.amazon\\.awssdk\\.services\\.iam ");
  }

  @Test
  void everyServiceFileOfAPledgeModuleIsAlsoProvidedByItsModuleDescriptor() throws Exception {
    // on the module path ServiceLoader reads only `provides`: a provider listed in META-INF/services
    // but not in module-info would silently vanish there
    List<Path> entries = new ArrayList<>();
    for (String e : modulePath().split(File.pathSeparator)) {
      entries.add(Path.of(e));
    }
    List<String> checked = new ArrayList<>();
    for (ModuleReference ref : ModuleFinder.of(entries.toArray(Path[]::new)).findAll()) {
      ModuleDescriptor d = ref.descriptor();
      if (!d.name().startsWith("dev.pledge.") || d.isAutomatic()) {
        continue;
      }
      try (ModuleReader reader = ref.open()) {
        List<String> services = reader.list().filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/"))
            .toList();
        for (String file : services) {
          String service = file.substring("META-INF/services/".length());
          List<String> listed;
          try (var in = reader.open(file).orElseThrow()) {
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
          }
          List<String> provided = d.provides().stream().filter(p -> p.service().equals(service))
              .flatMap(p -> p.providers().stream()).toList();
          assertThat(provided).as("module %s provides %s", d.name(), service).containsExactlyInAnyOrderElementsOf(listed);
          checked.add(d.name() + " " + service);
        }
      }
    }
    assertThat(checked).as("the Pledge modules were found").anyMatch(c -> c.startsWith("dev.pledge.sla "))
        .anyMatch(c -> c.startsWith("dev.pledge.backup.s3 "));
  }
}
