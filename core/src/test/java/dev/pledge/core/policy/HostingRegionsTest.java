package dev.pledge.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostingRegionsTest {
  @Test
  void aRegionNoAwsRegionHasIsAWarningWithTheLikelyOne() {
    PolicyDocument doc = PolicyLoader.create().load("p.yaml", "hosting:\n  regions: [eu-west-2, eu-wset-1, xx-nowhere-9]\n");
    assertThat(doc.warnings()).extracting(PolicyWarning::path, PolicyWarning::rule, PolicyWarning::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("hosting.regions[1]", "unknown-region",
                "'eu-wset-1' is not an AWS region; did you mean 'eu-west-1'?"),
            org.assertj.core.groups.Tuple.tuple("hosting.regions[2]", "unknown-region",
                "'xx-nowhere-9' is not an AWS region"));
    assertThat(PolicyLoader.create().load("p.yaml", "hosting:\n  regions: [eu-west-2, eu-west-1]\n").warnings()).isEmpty();
  }
}
