package dev.pledge.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks across sections see every bound section and locate what they report. */
class DocumentCheckTest {

  record Teams(List<Team> teams) {}

  record Team(String name, Integer size) {}

  record Pager(List<String> teams, String fallback) {
    Pager {
      fallback = fallback == null ? "ops" : fallback;
    }
  }

  private static final String DOC = """
      teams:
        teams:
          - name: ops
            size: 3
          - name: web
      pager:
        teams: [ops, dba]
      """;

  private static PolicyLoader loader(DocumentCheck check) {
    return PolicyLoader.builder()
        .register(SectionDescriptor.of("teams", Teams.class))
        .register(SectionDescriptor.of("pager", Pager.class))
        .check(check)
        .build();
  }

  @Test
  void aWarningNamesTheFileLineAndColumnOfItsKey() {
    PolicyDocument doc = loader(ctx -> {
      Teams t = ctx.section(Teams.class).orElseThrow();
      for (int i = 0; i < t.teams().size(); i++) {
        if (t.teams().get(i).size() == null) {
          ctx.warn("teams.teams[" + i + "].size", "test/size", "team '" + t.teams().get(i).name() + "' has no size");
        }
      }
    }).load("policy.yaml", DOC);
    assertThat(doc.warnings()).singleElement().satisfies(w -> {
      assertThat(w.path()).isEqualTo("teams.teams[1].size");
      // the key is absent (a default), so the warning points at the list item that lacks it
      assertThat(w.location()).isEqualTo("policy.yaml:5:7");
      assertThat(w).hasToString("policy.yaml:5:7: teams.teams[1].size: team 'web' has no size [test/size]");
    });
  }

  @Test
  void anErrorFailsLoadingAtTheKeyItNames() {
    PolicyLoader loader = loader(ctx -> {
      List<String> known = ctx.section(Teams.class).orElseThrow().teams().stream().map(Team::name).toList();
      List<String> paged = ctx.section(Pager.class).orElseThrow().teams();
      for (int i = 0; i < paged.size(); i++) {
        if (!known.contains(paged.get(i))) {
          throw ctx.error("pager.teams[" + i + "]", "unknown team '" + paged.get(i) + "'");
        }
      }
    });
    assertThatThrownBy(() -> loader.load("policy.yaml", DOC))
        .isInstanceOf(PolicyException.class)
        .hasMessage("policy.yaml:7:16: pager.teams[1]: unknown team 'dba'");
  }

  @Test
  void aDefaultedKeyIsLocatedAtItsSection() {
    PolicyLoader loader = loader(ctx -> {
      throw ctx.error("pager.fallback", "fallback '" + ctx.section(Pager.class).orElseThrow().fallback() + "' is no team");
    });
    assertThatThrownBy(() -> loader.load("policy.yaml", DOC))
        .hasMessage("policy.yaml:6:1: pager.fallback: fallback 'ops' is no team");
  }

  @Test
  void aSectionAbsentFromTheDocumentIsEmptyToTheCheck() {
    PolicyDocument doc = loader(ctx -> ctx.warn("", "test/absent", "pager present: " + ctx.section(Pager.class).isPresent()))
        .load("teams.yaml", "teams:\n  teams: []\n");
    assertThat(doc.warnings()).singleElement().satisfies(w -> {
      assertThat(w.message()).isEqualTo("pager present: false");
      assertThat(w.location()).isEqualTo("teams.yaml");
    });
  }
}
