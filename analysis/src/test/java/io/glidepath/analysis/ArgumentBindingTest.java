package io.glidepath.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CEL injection through arguments (issue 15, item 15): Argo's text substitution keeps working as
 * Argo does, the VARIABLES binding makes every argument one value, and TemplateWarning reports
 * conditions that splice an argument into code.
 */
class ArgumentBindingTest {
  private static final String TEMPLATE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: errors}
      spec:
        args: [{name: threshold}, {name: service}]
        metrics:
        - name: error-rate
          successCondition: result[0] < {{args.threshold}}
          failureCondition: '"{{args.service}}" == "checkout" && result[0] >= 1.0'
          provider: {prometheus: {address: 'http://prometheus:9090', query: 'up'}}
      """;

  private static AnalysisTemplate template() {
    return AnalysisTemplate.parse(TEMPLATE, "errors.yaml");
  }

  private static AnalysisPhase judge(
      Map<String, String> args, ArgumentBinding binding, double errorRate) {
    Metric m = template().resolve(args, ArgumentResolver.NONE, binding).metrics().get(0);
    return AnalysisEvaluator.evaluate(m, MetricValue.vector(errorRate)).phase();
  }

  @Test
  void textSubstitutionLetsAnArgumentRewriteTheConditionAsArgoDoes() {
    Map<String, String> injected = Map.of("threshold", "2 || true", "service", "cart");

    assertThat(judge(injected, ArgumentBinding.TEXT, 0.9)).isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void boundArgumentsAreValuesSoAnInjectionIsAnErrorNotASuccess() {
    Map<String, String> injected = Map.of("threshold", "2 || true", "service", "cart");

    assertThat(judge(injected, ArgumentBinding.VARIABLES, 0.9)).isEqualTo(AnalysisPhase.ERROR);
  }

  @Test
  void boundNumbersCompareAsTheSubstitutedTextDid() {
    Map<String, String> args = Map.of("threshold", "0.05", "service", "cart");

    assertThat(judge(args, ArgumentBinding.VARIABLES, 0.01)).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(judge(args, ArgumentBinding.VARIABLES, 0.5)).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(judge(Map.of("threshold", "1", "service", "cart"), ArgumentBinding.VARIABLES, 0.5))
        .isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void anArgumentInsideAStringLiteralCannotEndTheLiteral() {
    Map<String, String> breakout = Map.of("threshold", "0", "service", "x\" == \"x\" || \"a");
    // text substitution: the quote ends the literal and the rest is code: failed at 0 errors
    assertThat(judge(breakout, ArgumentBinding.TEXT, 0.0)).isEqualTo(AnalysisPhase.FAILED);
    // bound: the whole value is the string's content, which is not "checkout"
    assertThat(judge(breakout, ArgumentBinding.VARIABLES, 0.0))
        .isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(
            judge(Map.of("threshold", "0", "service", "checkout"), ArgumentBinding.VARIABLES, 2.0))
        .isEqualTo(AnalysisPhase.FAILED);
  }

  @Test
  void warnsAboutAConditionThatSplicesAnArgumentIntoCode() {
    assertThat(TemplateWarning.check(template()))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.metric()).isEqualTo("error-rate");
              assertThat(w.field()).isEqualTo("successCondition");
              assertThat(w.argument()).isEqualTo("threshold");
              assertThat(w.message())
                  .contains("template errors, metric error-rate", "ArgumentBinding.VARIABLES");
            });
  }
}
