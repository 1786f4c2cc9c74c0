package io.glidepath.core.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationDestination;
import io.glidepath.core.app.ApplicationSource;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProjectTest {
  static final String REPO = "https://git.example.com/org/gitops-configs.git";
  static final String SERVER = "https://kubernetes.default.svc";
  static final Project PRODUCTION =
      Project.read(Path.of("src/test/resources/project/production.yaml"));
  static final AppTarget TRADE =
      new AppTarget("trade-service", REPO, SERVER, "in-cluster", "production");

  private static Resource r(String apiVersion, String kind, String name, String namespace) {
    String ns = namespace == null ? "" : "\n  namespace: " + namespace;
    return Yaml.readResources(
            "apiVersion: "
                + apiVersion
                + "\nkind: "
                + kind
                + "\nmetadata:\n  name: "
                + name
                + ns
                + "\n",
            kind)
        .get(0);
  }

  private static ResourceSet tradeService() {
    return ResourceSet.of(
        r("argoproj.io/v1alpha1", "Rollout", "trade-service", "production"),
        r("v1", "Service", "trade-service-stable", "production"),
        r("v1", "Service", "trade-service-canary", null),
        r("networking.istio.io/v1beta1", "VirtualService", "trade-service-vs", "production"),
        r("argoproj.io/v1alpha1", "AnalysisTemplate", "success-rate", "production"),
        r("policy/v1", "PodDisruptionBudget", "trade-service", "production"),
        r("autoscaling/v2", "HorizontalPodAutoscaler", "trade-service", "production"),
        r("v1", "Namespace", "production", null));
  }

  @Test
  void letsTheSeedApplicationSyncNormally() {
    assertThat(PRODUCTION.violations(TRADE, tradeService())).isEmpty();
    assertThat(PRODUCTION.unenforcedFields()).containsExactly("spec.description", "spec.roles");
  }

  @Test
  void refusesARepositoryOutsideSourceRepos() {
    AppTarget other =
        new AppTarget(
            "x", "https://git.example.com/org/sandbox-team.git", SERVER, "", "production");
    assertThatThrownBy(() -> PRODUCTION.enforce(other, ResourceSet.empty()))
        .isInstanceOf(ProjectViolationException.class)
        .hasMessageContaining(
            "repository https://git.example.com/org/sandbox-team.git is not permitted by sourceRepos of project production");
  }

  @Test
  void aRefusedRepositoryIsNamedWithoutItsPassword() {
    for (String url :
        List.of(
            "https://bot:p@ss-hunter2@git.example.com/org/sandbox.git",
            "ssh://git:hunter2@git.example.com:2222/org/sandbox.git",
            "git:hunter2@git.example.com:org/sandbox.git")) {
      AppTarget other = new AppTarget("x", url, SERVER, "", "production");
      assertThatThrownBy(() -> PRODUCTION.enforce(other, ResourceSet.empty()))
          .isInstanceOf(ProjectViolationException.class)
          .hasMessageContaining(":***@git.example.com")
          .hasMessageContaining("is not permitted by sourceRepos")
          .message()
          .doesNotContain("hunter2");
    }
  }

  @Test
  void refusesADestinationNamespaceNotPermitted() {
    AppTarget staging = new AppTarget("trade-service", REPO, SERVER, "", "staging");
    assertThat(PRODUCTION.violations(staging, ResourceSet.empty()))
        .extracting(ProjectViolation::rule)
        .containsExactly("destinations");
    ResourceSet sneaky = ResourceSet.of(r("v1", "Service", "s", "kube-system"));
    assertThat(PRODUCTION.violations(TRADE, sneaky))
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.message())
                    .contains("Service:kube-system/s writes to namespace kube-system"));
  }

  @Test
  void refusesClusterScopedKindsNotWhitelisted() {
    ResourceSet rbac =
        ResourceSet.of(r("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "admin", null));
    ProjectViolationException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ProjectViolationException.class, () -> PRODUCTION.enforce(TRADE, rbac));
    assertThat(e.project()).isEqualTo("production");
    assertThat(e.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo("clusterResourceWhitelist");
              assertThat(v.resource()).contains(rbac.toList().get(0).key());
              assertThat(v.message())
                  .contains("rbac.authorization.k8s.io/ClusterRoleBinding:/admin");
            });
  }

  @Test
  void checksTheRepositoryOfEverySourceOfAMultiSourceApplication() {
    Project p =
        Project.builder("p")
            .sourceRepo("https://git.example.com/*")
            .destination(new Destination("*", "", "*"))
            .build();
    Application app =
        Application.builder("web")
            .sources(
                List.of(
                    ApplicationSource.of("https://git.example.com/values.git", "main", "")
                        .withRef("values"),
                    ApplicationSource.ofChart("https://charts.elsewhere.example", "web", "^1")))
            .destination(ApplicationDestination.inCluster("web"))
            .build();
    assertThat(p.violations(AppTarget.of(app), ResourceSet.of(List.of())))
        .extracting(ProjectViolation::message)
        .containsExactly(
            "repository https://charts.elsewhere.example is not permitted by sourceRepos of"
                + " project p");
  }

  @Test
  void refusesANamespaceWhenTheProjectAllowsNoClusterKinds() {
    Project strict =
        Project.builder("strict")
            .sourceRepo("*")
            .destination(new Destination("*", "", "production"))
            .build();
    assertThat(strict.violations(TRADE, ResourceSet.of(r("v1", "Namespace", "production", null))))
        .extracting(ProjectViolation::rule)
        .containsExactly("clusterResourceWhitelist");
  }

  @Test
  void refusesNamespacedKindsOutsideTheWhitelistOrInTheBlacklist() {
    ResourceSet secret = ResourceSet.of(r("v1", "Secret", "creds", "production"));
    assertThat(PRODUCTION.violations(TRADE, secret))
        .extracting(ProjectViolation::rule)
        .containsExactly("namespaceResourceWhitelist");
    Project noQuota =
        Project.builder("p")
            .sourceRepo("*")
            .destination(new Destination("*", "", "*"))
            .namespaceResourceBlacklist(new GroupKind("", "ResourceQuota"))
            .build();
    assertThat(
            noQuota.violations(TRADE, ResourceSet.of(r("v1", "ResourceQuota", "q", "production"))))
        .extracting(ProjectViolation::rule)
        .containsExactly("namespaceResourceBlacklist");
  }

  @Test
  void appliesNegatedDestinations() {
    Project p =
        Project.builder("p")
            .sourceRepo("*")
            .destination(new Destination("*", "", "*"))
            .destination(new Destination("*", "", "!kube-*"))
            .build();
    assertThat(p.violations(new AppTarget("a", REPO, SERVER, "", "team-a"), ResourceSet.empty()))
        .isEmpty();
    assertThat(
            p.violations(new AppTarget("a", REPO, SERVER, "", "kube-system"), ResourceSet.empty()))
        .hasSize(1);
  }

  @Test
  void requiresApplicationsOutsideTheControlPlaneToBeInSourceNamespaces() {
    Project p =
        Project.builder("p")
            .sourceRepo("*")
            .destination(new Destination("*", "", "*"))
            .sourceNamespace("team-*")
            .build();
    assertThat(
            p.violations(new AppTarget("a", REPO, SERVER, "", "x", "team-a"), ResourceSet.empty()))
        .isEmpty();
    assertThat(
            p.violations(new AppTarget("a", REPO, SERVER, "", "x", "argocd"), ResourceSet.empty()))
        .isEmpty();
    assertThat(
            p.violations(new AppTarget("a", REPO, SERVER, "", "x", "other"), ResourceSet.empty()))
        .extracting(ProjectViolation::rule)
        .containsExactly("sourceNamespaces");
  }

  @Test
  void blocksAutomatedSyncDuringTheFridayFreezeAndNamesWhenItEnds() {
    Instant fridayEvening = Instant.parse("2026-11-27T17:30:00Z"); // 18:30 in Berlin
    SyncWindowDecision d =
        PRODUCTION.syncWindow("trade-service", "production", SERVER, fridayEvening, false);
    assertThat(d.allowed()).isFalse();
    assertThat(d.until()).contains(Instant.parse("2026-11-30T07:00:00Z")); // Monday 08:00 Berlin
    assertThat(d.reason())
        .contains("deny window \"0 16 * * FRI\"")
        .contains("2026-11-30T07:00:00Z");
    assertThat(
            PRODUCTION
                .syncWindow("trade-service", "production", SERVER, fridayEvening, true)
                .allowed())
        .isTrue();
    assertThat(
            PRODUCTION
                .syncWindow(
                    "trade-service",
                    "production",
                    SERVER,
                    Instant.parse("2026-11-30T07:00:30Z"),
                    false)
                .allowed())
        .isTrue();
    assertThatThrownBy(
            () ->
                PRODUCTION.enforceSyncWindow(
                    "trade-service", "production", SERVER, fridayEvening, false))
        .isInstanceOf(ProjectViolationException.class)
        .hasMessageContaining("blocked by the deny window");
  }

  @Test
  void keepsAWindowAcrossMidnightOpen() {
    SyncWindow night =
        new SyncWindow(
            SyncWindow.Kind.DENY,
            "0 22 * * *",
            "4h",
            List.of("*"),
            List.of(),
            List.of(),
            false,
            "UTC");
    assertThat(night.isActive(Instant.parse("2026-11-25T21:59:00Z"))).isFalse();
    assertThat(night.isActive(Instant.parse("2026-11-25T22:00:30Z"))).isTrue();
    assertThat(night.isActive(Instant.parse("2026-11-26T01:30:00Z"))).isTrue();
    assertThat(night.endsAt(Instant.parse("2026-11-26T01:30:00Z")))
        .contains(Instant.parse("2026-11-26T02:00:00Z"));
    assertThat(night.isActive(Instant.parse("2026-11-26T02:00:30Z"))).isFalse();
  }

  @Test
  void followsTheWallClockAcrossDaylightSavingChanges() {
    // 09:00 New York is 14:00Z in winter (EST) and 13:00Z in summer (EDT)
    SyncWindow morning =
        new SyncWindow(
            SyncWindow.Kind.ALLOW,
            "0 9 * * *",
            "1h",
            List.of("*"),
            List.of(),
            List.of(),
            false,
            "America/New_York");
    assertThat(morning.isActive(Instant.parse("2026-03-07T14:30:00Z"))).isTrue(); // Saturday, EST
    assertThat(morning.isActive(Instant.parse("2026-03-09T13:30:00Z"))).isTrue(); // Monday, EDT
    assertThat(morning.isActive(Instant.parse("2026-03-09T14:30:00Z"))).isFalse();
    // 02:30 does not exist on 2026-03-08 in New York: the window does not open that day
    SyncWindow skipped =
        new SyncWindow(
            SyncWindow.Kind.DENY,
            "30 2 * * *",
            "1h",
            List.of("*"),
            List.of(),
            List.of(),
            false,
            "America/New_York");
    assertThat(skipped.isActive(Instant.parse("2026-03-07T07:45:00Z"))).isTrue(); // 02:45 EST
    assertThat(skipped.isActive(Instant.parse("2026-03-08T07:45:00Z"))).isFalse(); // 03:45 EDT
    // 01:30 happens twice on 2026-11-01: the window opens at each
    SyncWindow repeated =
        new SyncWindow(
            SyncWindow.Kind.DENY,
            "30 1 * * *",
            "30m",
            List.of("*"),
            List.of(),
            List.of(),
            false,
            "America/New_York");
    assertThat(repeated.isActive(Instant.parse("2026-11-01T05:45:00Z"))).isTrue(); // 01:45 EDT
    assertThat(repeated.isActive(Instant.parse("2026-11-01T06:15:00Z"))).isFalse(); // 01:15 EST
    assertThat(repeated.isActive(Instant.parse("2026-11-01T06:45:00Z"))).isTrue(); // 01:45 EST
  }

  @Test
  void letsDenyWinOverAllowAndBlocksOutsideAllowWindows() {
    SyncWindow weekdays =
        new SyncWindow(
            SyncWindow.Kind.ALLOW,
            "0 8 * * 1-5",
            "10h",
            List.of("trade-*"),
            List.of(),
            List.of(),
            false,
            "UTC");
    SyncWindow lunch =
        new SyncWindow(
            SyncWindow.Kind.DENY,
            "0 12 * * *",
            "1h",
            List.of(),
            List.of("production"),
            List.of(),
            false,
            "UTC");
    Project p =
        Project.builder("p")
            .sourceRepo("*")
            .destination(new Destination("*", "", "*"))
            .syncWindow(weekdays)
            .syncWindow(lunch)
            .build();
    Instant wednesdayMorning = Instant.parse("2026-11-25T09:00:00Z");
    assertThat(
            p.syncWindow("trade-service", "production", SERVER, wednesdayMorning, false).allowed())
        .isTrue();
    SyncWindowDecision atLunch =
        p.syncWindow(
            "trade-service", "production", SERVER, Instant.parse("2026-11-25T12:30:00Z"), false);
    assertThat(atLunch.allowed()).isFalse();
    assertThat(atLunch.blockedBy()).contains(lunch);
    SyncWindowDecision night =
        p.syncWindow(
            "trade-service", "production", SERVER, Instant.parse("2026-11-25T20:00:00Z"), false);
    assertThat(night.allowed()).isFalse();
    assertThat(night.until()).contains(Instant.parse("2026-11-26T08:00:00Z"));
    assertThat(
            p.syncWindow(
                    "other-app", "staging", SERVER, Instant.parse("2026-11-25T20:00:00Z"), false)
                .allowed())
        .isTrue();
  }

  @Test
  void warnsAboutOrphanedResources() {
    ResourceSet live =
        ResourceSet.of(
            r("v1", "ConfigMap", "leftover", "production"),
            r("v1", "Service", "trade-service-stable", "production"));
    List<String> warnings = PRODUCTION.orphanedResources(live, Set.of(live.toList().get(1).key()));
    assertThat(warnings).singleElement().asString().contains("ConfigMap:production/leftover");
  }

  @Test
  void objectsKubernetesPutsInEveryNamespaceAreNeverOrphans() {
    ResourceSet live =
        ResourceSet.of(
            r("v1", "ConfigMap", "kube-root-ca.crt", "production"),
            r("v1", "ServiceAccount", "default", "production"),
            r("v1", "ServiceAccount", "builder", "production"));
    assertThat(PRODUCTION.orphanedResources(live, Set.of()))
        .singleElement()
        .asString()
        .contains("ServiceAccount:production/builder");
  }

  @Test
  void reportsUnknownFieldsAndBadWindowsWithTheirPath() {
    assertThatThrownBy(
            () ->
                Project.parse(
                    "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\nspec: {sourceRepo: []}\n",
                    "p.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("unknown field spec.sourceRepo");
    assertThatThrownBy(
            () ->
                Project.parse(
                    "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\nspec:\n  syncWindows:\n  - {kind: deny, schedule: '61 * * * *', duration: 1h}\n",
                    "p.yaml"))
        .isInstanceOf(YamlException.class)
        .hasMessageContaining("spec.syncWindows[0]")
        .hasMessageContaining("minute \"61\"");
  }
}
