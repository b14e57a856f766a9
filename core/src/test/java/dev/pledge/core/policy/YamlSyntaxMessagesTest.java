package dev.pledge.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * YAML syntax errors in a policy author's words: file, line, column and key path, what is wrong and
 * how to fix it, never the parser's jargon ("while parsing a flow sequence", "scalar", "token",
 * "&lt;stream end&gt;") or a class name.
 */
class YamlSyntaxMessagesTest {
  private final PolicyLoader loader = PolicyLoader.create();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // name | document | line | column | problem
      "unclosed list|hosting:\\n  regions: [eu-west-2\\n|2|12|expected ',' or ']', but found the end of the document (in the list '[' opened here)",
      "unclosed mapping|hosting: {regions: [a], tlsOnly: true\\n|1|10|expected ',' or '}', but found the end of the document (in the mapping '{' opened here)",
      "tab indentation|hosting:\\n\\tregions: []\\n|2|1|a tab character: indent with spaces, never tabs",
      "duplicate key|hosting:\\n  tlsOnly: true\\n  tlsOnly: false\\n|3|10|the key 'tlsOnly' appears twice in this mapping",
      "unclosed double quote|hosting:\\n  regions: \"eu-west-2\\n|2|12|the document ends before the closing quote (in the quoted text opened here)",
      "unclosed single quote|hosting:\\n  regions: 'abc\\n|2|12|the document ends before the closing quote (in the quoted text opened here)",
      "unknown escape|hosting:\\n  regions: \"\\\\q\"\\n|2|14|unknown escape '\\q' in double-quoted text; use single quotes, or write '\\\\' for a backslash (in the quoted text opened at line 2, column 12)",
      "list item after a key|hosting:\\n  regions: [a]\\n  - b\\n|3|3|expected the end of the indented block, but found '-' (in the indented keys starting at line 2, column 3)",
      "bad indentation|hosting:\\n  regions:\\n    - a\\n   b: c\\n|4|4|expected the end of the indented block, but found an indented key (in the indented keys starting at line 2, column 3)",
      "empty list entry|hosting:\\n  regions: [a,,b]\\n|2|15|expected a value, but found ','",
      "reserved character|hosting:\\n  regions: @abc\\n|2|12|the character '@' cannot start a value; put the value in quotes",
      "binary value|hosting:\\n  regions: !!binary abc\\n|2|0|binary values ('!!binary') are not supported in a policy document",
      "complex key|? [a, b]\\n: c\\n|1|4|a key must be a plain value; a list or a mapping cannot be a key",
      "control character|hosting:\\n  \\u0001regions: []\\n|2|3|the control character U+0001 is not allowed in a policy document; remove it",
  })
  void syntaxErrorsAreExplainedInTheAuthorsTerms(String name, String document, int line, int column, String problem) {
    String doc = document.replace("\\n", "\n").replace("\\t", "\t").replace("\\u0001", "\u0001").replace("\\\\", "\\");
    assertThatThrownBy(() -> loader.load("policy.yaml", doc)).isInstanceOf(PolicyException.class).satisfies(t -> {
      PolicyException e = (PolicyException) t;
      assertThat(e.line()).as("line of %s", e.getMessage()).isEqualTo(line);
      if (column > 0) {
        assertThat(e.column()).as("column of %s", e.getMessage()).isEqualTo(column);
      }
      assertThat(e.problem()).isEqualTo(problem);
      assertThat(e.getMessage()).startsWith("policy.yaml:" + line + ":")
          .doesNotContainIgnoringCase("while parsing").doesNotContainIgnoringCase("while scanning")
          .doesNotContainIgnoringCase("scalar").doesNotContainIgnoringCase("token").doesNotContain("<")
          .doesNotContain("org.").doesNotContain("java.").doesNotContain("Exception").doesNotContain("Event")
          .doesNotContain("(113)").doesNotContain("Duplicate field");
    });
  }
}
