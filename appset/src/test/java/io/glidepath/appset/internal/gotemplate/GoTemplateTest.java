package io.glidepath.appset.internal.gotemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.appset.TemplateException;
import io.glidepath.appset.internal.gotemplate.GoTemplate.MissingKey;
import io.glidepath.appset.internal.gotemplate.GoTemplate.Options;
import io.glidepath.core.yaml.Yaml;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoTemplateTest {
  private static final Object DATA =
      Values.fromJson(
          Yaml.readTree(
              "cluster: prod-eu\n"
                  + "replicas: 3\n"
                  + "big: 1000000\n"
                  + "ratio: 0.25\n"
                  + "enabled: true\n"
                  + "empty: ''\n"
                  + "nothing: null\n"
                  + "path: {path: apps/trade-service, basename: trade-service,"
                  + " segments: [apps, trade-service]}\n"
                  + "metadata: {labels: {env: prod, region: eu}}\n"
                  + "list: [b, a, c]\n",
              "data"));

  private static String render(String t) {
    return render(t, MissingKey.DEFAULT);
  }

  private static String render(String t, MissingKey m) {
    return GoTemplate.parse(t, Functions.names()).execute(DATA, Options.DEFAULT.withMissingKey(m));
  }

  @Test
  void printsFieldsAsGoDoes() {
    assertThat(render("{{.cluster}}-{{ .path.basename }}")).isEqualTo("prod-eu-trade-service");
    assertThat(render("{{.replicas}} {{.big}} {{.ratio}} {{.enabled}}"))
        .isEqualTo("3 1e+06 0.25 true");
    assertThat(render("{{.path.segments}}")).isEqualTo("[apps trade-service]");
    assertThat(render("{{.metadata.labels}}")).isEqualTo("map[env:prod region:eu]");
    assertThat(render("{{index .path.segments 1}}")).isEqualTo("trade-service");
    assertThat(render("{{index .metadata.labels \"env\"}}")).isEqualTo("prod");
  }

  @Test
  void missingKeysFollowTheMissingkeyOption() {
    assertThat(render("{{.nope}}")).isEqualTo("<no value>");
    assertThat(render("{{.nope.deeper}}")).isEqualTo("<no value>");
    assertThat(render("{{.nothing}}")).isEqualTo("<no value>");
    assertThatThrownBy(() -> render("{{.nope}}", MissingKey.ERROR))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("map has no entry for key \"nope\"")
        .extracting(e -> ((TemplateException) e).kind())
        .isEqualTo(TemplateException.Kind.EXECUTE);
    assertThatThrownBy(() -> render("{{.nothing.x}}"))
        .hasMessageContaining("nil pointer evaluating interface {}.x");
    assertThatThrownBy(() -> render("{{.nope.x}}", MissingKey.ZERO))
        .hasMessageContaining("nil pointer evaluating interface {}.x");
  }

  @Test
  void controlStructuresAndVariables() {
    assertThat(render("{{if .enabled}}on{{else}}off{{end}}")).isEqualTo("on");
    assertThat(render("{{if .empty}}a{{else if .cluster}}b{{else}}c{{end}}")).isEqualTo("b");
    assertThat(render("{{with .metadata.labels}}{{.env}}{{end}}")).isEqualTo("prod");
    assertThat(render("{{range $i, $s := .path.segments}}{{$i}}={{$s}};{{end}}"))
        .isEqualTo("0=apps;1=trade-service;");
    assertThat(render("{{range $k, $v := .metadata.labels}}{{$k}}:{{$v}},{{end}}"))
        .isEqualTo("env:prod,region:eu,");
    assertThat(render("{{range .nope}}x{{else}}none{{end}}")).isEqualTo("none");
    assertThat(render("{{range .list}}{{if eq . \"a\"}}{{break}}{{end}}{{.}}{{end}}"))
        .isEqualTo("b");
    assertThat(render("{{$x := .cluster}}{{$x = upper $x}}{{$x}}")).isEqualTo("PROD-EU");
    assertThat(render("{{range 3}}{{.}}{{end}}")).isEqualTo("012");
    assertThat(render("a  {{- .cluster -}}  b")).isEqualTo("aprod-eub");
    assertThat(render("{{/* a comment */}}x")).isEqualTo("x");
  }

  @Test
  void pipelinesAndSprigFunctions() {
    assertThat(render("{{.cluster | upper | replace \"-\" \"_\"}}")).isEqualTo("PROD_EU");
    assertThat(render("{{printf \"%s-%03d\" .cluster 7}}")).isEqualTo("prod-eu-007");
    assertThat(render("{{.nope | default \"dflt\"}}")).isEqualTo("dflt");
    assertThat(render("{{add .replicas 1}}")).isEqualTo("4");
    assertThat(render("{{.list | sortAlpha | join \",\"}}")).isEqualTo("a,b,c");
    assertThat(render("{{toJson .metadata}}"))
        .isEqualTo("{\"labels\":{\"env\":\"prod\",\"region\":\"eu\"}}");
    assertThat(render("{{normalize \"Prod_EU.1\"}}")).isEqualTo("prod-eu.1");
    assertThat(render("{{and .enabled .cluster}}")).isEqualTo("prod-eu");
    assertThat(render("{{or .empty .nope \"x\"}}")).isEqualTo("x");
    assertThat(render("{{(dict \"a\" 1).a}}")).isEqualTo("1");
    assertThat(render("{{.metadata | toYaml}}")).isEqualTo("labels:\n  env: prod\n  region: eu");
    assertThat(render("{{ternary \"yes\" \"no\" (eq .cluster \"prod-eu\")}}")).isEqualTo("yes");
    assertThat(render("{{len .cluster}} {{len .list}}")).isEqualTo("7 3");
  }

  @Test
  void refusesWhatItDoesNotSupportAndWhatGoRefuses() {
    assertThatThrownBy(() -> render("{{now}}"))
        .isInstanceOf(TemplateException.class)
        .extracting(e -> ((TemplateException) e).kind())
        .isEqualTo(TemplateException.Kind.UNSUPPORTED);
    assertThatThrownBy(() -> render("{{define \"x\"}}{{end}}"))
        .extracting(e -> ((TemplateException) e).kind())
        .isEqualTo(TemplateException.Kind.UNSUPPORTED);
    assertThatThrownBy(() -> render("{{env \"HOME\"}}"))
        .hasMessageContaining("function \"env\" not defined")
        .extracting(e -> ((TemplateException) e).kind())
        .isEqualTo(TemplateException.Kind.PARSE);
    assertThatThrownBy(() -> render("{{.cluster")).hasMessageContaining("unclosed action");
    assertThatThrownBy(() -> render("{{eq .replicas 3}}"))
        .hasMessageContaining("incompatible types for comparison");
    assertThatThrownBy(() -> render("{{fail \"stop here\"}}")).hasMessageContaining("stop here");
  }

  @Test
  void numbersWidthsAndFieldsTakeAsciiDigitsOnlyAsGoDoes() {
    // text/template: a number is ASCII; '.' and a non-ASCII digit is a field (missing here)
    assertThatThrownBy(() -> render("{{1\u0665}}")).hasMessageContaining("bad number syntax");
    assertThatThrownBy(() -> render("{{\u0661}}"))
        .hasMessageContaining("function \"\u0661\" not defined");
    assertThat(render("{{.\u0665}}")).isEqualTo("<no value>");
    assertThat(render("{{15}} {{.5}}")).isEqualTo("15 0.5");
    // fmt: a width of other digits is no width; the digit is read as the verb (Go prints
    // %!\u0663(int=5); Glidepath refuses verbs it does not implement rather than print a width)
    assertThatThrownBy(() -> render("{{printf \"%\u06633d\" 5}}"))
        .hasMessageContaining("printf verb %\u0663 is not supported");
    assertThat(render("{{printf \"%3d\" 5}}")).isEqualTo("  5");
  }

  @Test
  void boundsOutputAndSteps() {
    assertThatThrownBy(
            () ->
                GoTemplate.parse(
                        "{{range until 100000}}{{range until 100000}}x{{end}}{{end}}",
                        Functions.names())
                    .execute(Map.of(), Options.DEFAULT))
        .extracting(e -> ((TemplateException) e).kind())
        .isEqualTo(TemplateException.Kind.LIMIT);
    String deep = "{{" + "(".repeat(150) + "1" + ")".repeat(150) + "}}";
    assertThatThrownBy(() -> GoTemplate.parse(deep, Functions.names()))
        .extracting(e -> ((TemplateException) e).kind())
        .isEqualTo(TemplateException.Kind.LIMIT);
  }
}
