package dev.pledge.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A section renamed in a release still answers hosts that ask for its former type. */
class FormerSectionTypeTest {

  record WidgetsPolicy(Integer count) {}

  /** The type the section had before the rename. */
  record WidgetsSection(Integer count) {}

  private static final PolicyLoader LOADER = PolicyLoader.builder()
      .register(SectionDescriptor.of("widgets", WidgetsPolicy.class)
          .withCheck((name, s, warnings) -> { })
          .withFormerType(WidgetsSection.class, p -> new WidgetsSection(p.count())))
      .build();

  @Test
  void theSectionBindsToItsTypeAndConvertsToItsFormerType() {
    PolicyDocument doc = LOADER.load("w.yaml", "widgets:\n  count: 3\n");

    assertThat(doc.section("widgets")).containsInstanceOf(WidgetsPolicy.class);
    assertThat(doc.require(WidgetsPolicy.class)).isEqualTo(new WidgetsPolicy(3));
    assertThat(doc.require(WidgetsSection.class)).isEqualTo(new WidgetsSection(3));
    assertThat(doc.toYaml()).contains("count: 3");
  }

  @Test
  void aDocumentCheckThatAsksForTheFormerTypeSeesTheSection() {
    PolicyLoader loader = LOADER.toBuilder().check(ctx -> ctx.section(WidgetsSection.class)
        .ifPresent(w -> ctx.warn("widgets.count", "widgets/former", "former type seen with " + w.count()))).build();

    assertThat(loader.load("w.yaml", "widgets:\n  count: 3\n").warnings())
        .extracting(PolicyWarning::message).containsExactly("former type seen with 3");
  }

  @Test
  void aCheckAddedAfterTheFormerTypeKeepsIt() {
    SectionDescriptor<WidgetsPolicy> d = SectionDescriptor.of("widgets", WidgetsPolicy.class)
        .withFormerType(WidgetsSection.class, p -> new WidgetsSection(p.count()))
        .withCheck((name, s, warnings) -> { });

    assertThat(d.formerTypes()).containsOnlyKeys(WidgetsSection.class);
    assertThat(d.check()).isNotNull();
  }

  @Test
  void aTypeThatIsNoFormerTypeIsStillAbsent() {
    PolicyDocument doc = LOADER.load("w.yaml", "widgets:\n  count: 3\n");

    assertThat(doc.section(String.class)).isEmpty();
    assertThatThrownBy(() -> SectionDescriptor.of("widgets", WidgetsPolicy.class)
        .withFormerType(Record.class, p -> p))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already a type");
  }
}
