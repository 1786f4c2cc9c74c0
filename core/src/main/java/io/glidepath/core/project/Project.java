package io.glidepath.core.project;

import io.glidepath.core.Origin;
import io.glidepath.core.Redaction;
import io.glidepath.core.internal.glob.Glob;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.resource.ResourceSet;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.core.yaml.YamlException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A project: the guardrails that keep one team's applications to their own repositories,
 * namespaces, kinds and hours, like Argo CD's {@code AppProject} (whose YAML loads unchanged with
 * {@link #read(Path)}).
 *
 * <pre>{@code
 * Project production = Project.read(Path.of("projects/production.yaml"));
 * production.enforce(new AppTarget("trade-service", repoUrl, server, "", "production"), rendered);
 * SyncWindowDecision now = production.syncWindow("trade-service", "production", server, clock.instant(), false);
 * }</pre>
 *
 * <p>Rules, as Argo CD applies them:
 *
 * <ul>
 *   <li>{@code sourceRepos}: the repository must match a pattern and no {@code !pattern}; no
 *       patterns permits nothing.
 *   <li>{@code destinations}: every namespace the app writes to (and the cluster) must match a
 *       destination and no {@code !} destination; none permits nothing.
 *   <li>Cluster-scoped kinds must be in {@code clusterResourceWhitelist} (empty permits none) and
 *       not in {@code clusterResourceBlacklist}; namespaced kinds must be in {@code
 *       namespaceResourceWhitelist} when it is set, and not in {@code namespaceResourceBlacklist}.
 *   <li>{@code syncWindows}: an active deny window blocks (manual syncs too, unless every active
 *       deny window sets {@code manualSync}); when allow windows apply to the app, syncs run only
 *       while one is active. Deny wins over allow.
 *   <li>{@code sourceNamespaces}: an Application living outside the control plane's namespace
 *       ({@link #CONTROL_PLANE_NAMESPACE}) must live in one of these namespaces (globs).
 *   <li>{@code orphanedResources}: resources in a destination namespace that no app owns are
 *       reported as warnings.
 * </ul>
 *
 * <p>{@code roles}, {@code signatureKeys}, {@code description} and {@code
 * destinationServiceAccounts} load but are not enforced (they concern Argo CD's API server); {@link
 * #unenforcedFields()} lists the ones present. Thread-safe (immutable).
 */
public final class Project {
  /** The namespace whose Applications every project accepts, as Argo CD's own namespace. */
  public static final String CONTROL_PLANE_NAMESPACE = "argocd";

  private static final Set<String> SPEC_FIELDS =
      Set.of(
          "sourceRepos",
          "destinations",
          "clusterResourceWhitelist",
          "clusterResourceBlacklist",
          "namespaceResourceWhitelist",
          "namespaceResourceBlacklist",
          "sourceNamespaces",
          "orphanedResources",
          "syncWindows",
          "roles",
          "signatureKeys",
          "description",
          "destinationServiceAccounts",
          "permitOnlyProjectScopedClusters");
  private static final Set<String> UNENFORCED =
      Set.of(
          "roles",
          "signatureKeys",
          "description",
          "destinationServiceAccounts",
          "permitOnlyProjectScopedClusters");

  private final String name;
  private final List<String> sourceRepos;
  private final List<Destination> destinations;
  private final List<GroupKind> clusterWhitelist;
  private final List<GroupKind> clusterBlacklist;
  private final List<GroupKind> namespaceWhitelist;
  private final List<GroupKind> namespaceBlacklist;
  private final List<String> sourceNamespaces;
  private final boolean warnOrphans;
  private final List<GroupKind> orphanIgnores;
  private final List<SyncWindow> syncWindows;
  private final List<String> unenforced;
  private final ResourceScope scope;

  private Project(Builder b) {
    this.name = b.name;
    this.sourceRepos = List.copyOf(b.sourceRepos);
    this.destinations = List.copyOf(b.destinations);
    this.clusterWhitelist = List.copyOf(b.clusterWhitelist);
    this.clusterBlacklist = List.copyOf(b.clusterBlacklist);
    this.namespaceWhitelist = List.copyOf(b.namespaceWhitelist);
    this.namespaceBlacklist = List.copyOf(b.namespaceBlacklist);
    this.sourceNamespaces = List.copyOf(b.sourceNamespaces);
    this.warnOrphans = b.warnOrphans;
    this.orphanIgnores = List.copyOf(b.orphanIgnores);
    this.syncWindows = List.copyOf(b.syncWindows);
    this.unenforced = List.copyOf(b.unenforced);
    this.scope = b.scope;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Argo CD's {@code default} project: every repository, destination and kind. */
  public static Project permissive(String name) {
    return builder(name)
        .sourceRepo("*")
        .destination(new Destination("*", "", "*"))
        .clusterResourceWhitelist(new GroupKind("*", "*"))
        .build();
  }

  /** Reads an Argo CD {@code AppProject} manifest. */
  public static Project read(Path file) {
    List<YamlDocument> docs = Yaml.readDocuments(file);
    if (docs.size() != 1) {
      throw new YamlException(
          Origin.of(file.toString()),
          "expected one AppProject, found " + docs.size() + " documents");
    }
    return fromTree(docs.get(0).content(), docs.get(0).origin());
  }

  /** Reads every Argo CD {@code AppProject} of a file (one or more documents). */
  public static List<Project> readAll(Path file) {
    List<Project> out = new ArrayList<>();
    for (YamlDocument doc : Yaml.readDocuments(file)) {
      out.add(fromTree(doc.content(), doc.origin()));
    }
    return out;
  }

  /** Parses an Argo CD {@code AppProject} manifest. */
  public static Project parse(String yaml, String source) {
    return fromTree(Yaml.readTree(yaml, source), Origin.of(source));
  }

  private static Project fromTree(JsonNode doc, Origin origin) {
    if (!"AppProject".equals(doc.path("kind").asString(""))) {
      throw new YamlException(
          origin, "expected kind AppProject, found \"" + doc.path("kind").asString("") + "\"");
    }
    String name = doc.at("/metadata/name").asString("");
    if (name.isEmpty()) {
      throw new YamlException(origin, "AppProject has no metadata.name");
    }
    if (!ProjectSource.isValidName(name)) {
      throw new YamlException(
          origin, "AppProject metadata.name " + ProjectSource.invalidNameReason(name));
    }
    Builder b = builder(name);
    JsonNode spec = doc.path("spec");
    for (String field : spec.propertyNames()) {
      if (!SPEC_FIELDS.contains(field)) {
        throw new YamlException(origin, "AppProject " + name + ": unknown field spec." + field);
      }
      if (UNENFORCED.contains(field)) {
        b.unenforced.add("spec." + field);
      }
    }
    spec.path("sourceRepos").forEach(r -> b.sourceRepo(r.asString()));
    spec.path("sourceNamespaces").forEach(r -> b.sourceNamespaces.add(r.asString()));
    spec.path("destinations")
        .forEach(
            d ->
                b.destination(
                    new Destination(
                        d.path("server").asString(""),
                        d.path("name").asString(""),
                        d.path("namespace").asString(""))));
    groupKinds(spec.path("clusterResourceWhitelist"), b.clusterWhitelist);
    groupKinds(spec.path("clusterResourceBlacklist"), b.clusterBlacklist);
    groupKinds(spec.path("namespaceResourceWhitelist"), b.namespaceWhitelist);
    groupKinds(spec.path("namespaceResourceBlacklist"), b.namespaceBlacklist);
    JsonNode orphans = spec.path("orphanedResources");
    if (orphans.isObject()) {
      b.warnOrphans = orphans.path("warn").asBoolean(true);
      groupKinds(orphans.path("ignore"), b.orphanIgnores);
    }
    int i = 0;
    for (JsonNode w : spec.path("syncWindows")) {
      String path = "spec.syncWindows[" + i++ + "]";
      try {
        String kind = w.path("kind").asString("");
        if (!kind.equals("allow") && !kind.equals("deny")) {
          throw new IllegalArgumentException(
              "kind must be allow or deny, but was \"" + kind + "\"");
        }
        b.syncWindow(
            new SyncWindow(
                kind.equals("allow") ? SyncWindow.Kind.ALLOW : SyncWindow.Kind.DENY,
                w.path("schedule").asString(""),
                w.path("duration").asString(""),
                strings(w.path("applications")),
                strings(w.path("namespaces")),
                strings(w.path("clusters")),
                w.path("manualSync").asBoolean(false),
                w.path("timeZone").asString("")));
      } catch (IllegalArgumentException e) {
        throw new YamlException(origin, "AppProject " + name + ": " + path + ": " + e.getMessage());
      }
    }
    return b.build();
  }

  private static void groupKinds(JsonNode list, List<GroupKind> into) {
    list.forEach(
        gk ->
            into.add(new GroupKind(gk.path("group").asString(""), gk.path("kind").asString("*"))));
  }

  private static List<String> strings(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asString()));
    return out;
  }

  public String name() {
    return name;
  }

  public List<SyncWindow> syncWindows() {
    return syncWindows;
  }

  /** Whether the project asks for warnings about orphaned resources ({@code orphanedResources}). */
  public boolean warnsOrphanedResources() {
    return warnOrphans;
  }

  /** Fields present in the loaded YAML that Glidepath does not enforce. */
  public List<String> unenforcedFields() {
    return unenforced;
  }

  /** Every rule {@code target} and its {@code resources} break; empty when all is permitted. */
  public List<ProjectViolation> violations(AppTarget target, ResourceSet resources) {
    return violations(target, resources, scope);
  }

  /**
   * Every rule {@code target} and its {@code resources} break, telling namespaced from
   * cluster-scoped kinds with {@code scope} (e.g. a live cluster's discovery) instead of the
   * project's own.
   */
  public List<ProjectViolation> violations(
      AppTarget target, ResourceSet resources, ResourceScope scope) {
    List<ProjectViolation> out = new ArrayList<>();
    // Argo CD checks every source of a multi-source application
    for (String repo : target.repoUrls()) {
      if (!repoPermitted(repo)) {
        out.add(
            new ProjectViolation(
                Optional.empty(),
                "sourceRepos",
                "repository "
                    + Redaction.url(repo)
                    + " is not permitted by sourceRepos of project "
                    + name));
      }
    }
    if (!destinationPermitted(target.server(), target.clusterName(), target.namespace())) {
      out.add(
          new ProjectViolation(
              Optional.empty(),
              "destinations",
              "destination "
                  + target.server()
                  + " namespace "
                  + target.namespace()
                  + " is not permitted by destinations of project "
                  + name));
    }
    String appNs = target.appNamespace();
    if (!appNs.isEmpty()
        && !appNs.equals(CONTROL_PLANE_NAMESPACE)
        && sourceNamespaces.stream().noneMatch(g -> Glob.of(g).matches(appNs))) {
      out.add(
          new ProjectViolation(
              Optional.empty(),
              "sourceNamespaces",
              "application "
                  + target.application()
                  + " lives in namespace "
                  + appNs
                  + ", which is not in sourceNamespaces of project "
                  + name));
    }
    for (Resource r : resources) {
      ResourceKey key = r.key();
      boolean namespaced = scope.isNamespaced(key.group(), key.kind());
      if (namespaced) {
        String ns = key.namespace().isEmpty() ? target.namespace() : key.namespace();
        if (!ns.equals(target.namespace())
            && !destinationPermitted(target.server(), target.clusterName(), ns)) {
          out.add(
              new ProjectViolation(
                  Optional.of(key),
                  "destinations",
                  key
                      + " writes to namespace "
                      + ns
                      + ", which project "
                      + name
                      + " does not permit"));
        }
        boolean white = namespaceWhitelist.isEmpty() || anyMatch(namespaceWhitelist, key);
        if (!white || anyMatch(namespaceBlacklist, key)) {
          out.add(
              new ProjectViolation(
                  Optional.of(key),
                  white ? "namespaceResourceBlacklist" : "namespaceResourceWhitelist",
                  key
                      + ": kind "
                      + key.groupKind()
                      + " is "
                      + (white
                          ? "in namespaceResourceBlacklist"
                          : "not in namespaceResourceWhitelist")
                      + " of project "
                      + name));
        }
      } else {
        boolean white = anyMatch(clusterWhitelist, key);
        if (!white || anyMatch(clusterBlacklist, key)) {
          out.add(
              new ProjectViolation(
                  Optional.of(key),
                  white ? "clusterResourceBlacklist" : "clusterResourceWhitelist",
                  key
                      + ": cluster-scoped kind "
                      + key.groupKind()
                      + " is "
                      + (white ? "in clusterResourceBlacklist" : "not in clusterResourceWhitelist")
                      + " of project "
                      + name));
        }
      }
    }
    return out;
  }

  /**
   * Checks {@code target} and {@code resources} before anything is written.
   *
   * @throws ProjectViolationException listing every violation
   */
  public void enforce(AppTarget target, ResourceSet resources) {
    List<ProjectViolation> v = violations(target, resources);
    if (!v.isEmpty()) {
      throw new ProjectViolationException(name, v);
    }
  }

  /** Whether the sync windows let {@code application} sync at {@code at}. */
  public SyncWindowDecision syncWindow(
      String application, String namespace, String cluster, Instant at, boolean manual) {
    List<SyncWindow> applicable =
        syncWindows.stream().filter(w -> w.appliesTo(application, namespace, cluster)).toList();
    List<SyncWindow> activeDeny =
        applicable.stream()
            .filter(w -> w.kind() == SyncWindow.Kind.DENY && w.isActive(at))
            .toList();
    if (!activeDeny.isEmpty()) {
      if (manual && activeDeny.stream().allMatch(SyncWindow::manualSync)) {
        return SyncWindowDecision.allow("manual sync allowed during " + activeDeny.get(0));
      }
      SyncWindow latest =
          activeDeny.stream()
              .max((a, b) -> a.endsAt(at).orElseThrow().compareTo(b.endsAt(at).orElseThrow()))
              .orElseThrow();
      Instant until = latest.endsAt(at).orElseThrow();
      return SyncWindowDecision.block(
          latest,
          Optional.of(until),
          "sync of "
              + application
              + " is blocked by the "
              + latest
              + " of project "
              + name
              + " until "
              + until);
    }
    List<SyncWindow> allows =
        applicable.stream().filter(w -> w.kind() == SyncWindow.Kind.ALLOW).toList();
    if (allows.isEmpty() || allows.stream().anyMatch(w -> w.isActive(at))) {
      return SyncWindowDecision.allow(
          allows.isEmpty() ? "no sync window applies" : "inside an allow window");
    }
    if (manual && allows.stream().anyMatch(SyncWindow::manualSync)) {
      return SyncWindowDecision.allow("manual sync allowed outside the allow windows");
    }
    SyncWindow next =
        allows.stream()
            .min(
                (a, b) ->
                    a.nextOpening(at)
                        .orElse(Instant.MAX)
                        .compareTo(b.nextOpening(at).orElse(Instant.MAX)))
            .orElseThrow();
    Optional<Instant> opens = next.nextOpening(at);
    return SyncWindowDecision.block(
        next,
        opens,
        "sync of "
            + application
            + " is outside every allow window of project "
            + name
            + opens.map(o -> "; the " + next + " opens at " + o).orElse(""));
  }

  /**
   * Checks the sync windows.
   *
   * @throws ProjectViolationException naming the window and when it ends
   */
  public void enforceSyncWindow(
      String application, String namespace, String cluster, Instant at, boolean manual) {
    SyncWindowDecision d = syncWindow(application, namespace, cluster, at, manual);
    if (!d.allowed()) {
      throw new ProjectViolationException(
          name, List.of(new ProjectViolation(Optional.empty(), "syncWindows", d.reason())));
    }
  }

  /**
   * Warnings for resources in the app's namespaces that no app owns, when the project asks for them
   * ({@code orphanedResources}). The {@code default} ServiceAccount, the {@code kube-root-ca.crt}
   * ConfigMap and the {@code kubernetes} Service in {@code default} are never orphans.
   *
   * @param live the live resources of the destination namespaces
   * @param owned the keys some application owns
   */
  public List<String> orphanedResources(ResourceSet live, Set<ResourceKey> owned) {
    if (!warnOrphans) {
      return List.of();
    }
    List<String> warnings = new ArrayList<>();
    for (Resource r : live) {
      if (!owned.contains(r.key())
          && !anyMatch(orphanIgnores, r.key())
          && !createdByKubernetes(r.key())) {
        warnings.add(
            r.key() + " is in a namespace of project " + name + " but no application owns it");
      }
    }
    return warnings;
  }

  /** As in Argo CD: objects Kubernetes itself puts in every namespace are never orphans. */
  private static boolean createdByKubernetes(ResourceKey key) {
    return key.group().isEmpty()
        && (key.kind().equals("ServiceAccount") && key.name().equals("default")
            || key.kind().equals("ConfigMap") && key.name().equals("kube-root-ca.crt")
            || key.kind().equals("Service")
                && key.name().equals("kubernetes")
                && key.namespace().equals("default"));
  }

  private boolean repoPermitted(String repoUrl) {
    String url = normalize(repoUrl);
    boolean allowed = false;
    for (String p : sourceRepos) {
      if (p.startsWith("!")) {
        if (Glob.of(normalize(p.substring(1))).matches(url)) {
          return false;
        }
      } else if (Glob.of(normalize(p)).matches(url)) {
        allowed = true;
      }
    }
    return allowed;
  }

  private static String normalize(String url) {
    String u = url.strip().toLowerCase(Locale.ROOT);
    if (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u.endsWith(".git") ? u.substring(0, u.length() - 4) : u;
  }

  private boolean destinationPermitted(String server, String clusterName, String namespace) {
    boolean allowed = false;
    for (Destination d : destinations) {
      if (d.covers(server, clusterName, namespace)) {
        if (d.isDeny()) {
          return false;
        }
        allowed = true;
      }
    }
    return allowed;
  }

  private static boolean anyMatch(List<GroupKind> rules, ResourceKey key) {
    return rules.stream().anyMatch(gk -> gk.matches(key.group(), key.kind()));
  }

  @Override
  public String toString() {
    return "Project " + name;
  }

  /** Builds a {@link Project} in Java. */
  public static final class Builder {
    private final String name;
    private final List<String> sourceRepos = new ArrayList<>();
    private final List<Destination> destinations = new ArrayList<>();
    private final List<GroupKind> clusterWhitelist = new ArrayList<>();
    private final List<GroupKind> clusterBlacklist = new ArrayList<>();
    private final List<GroupKind> namespaceWhitelist = new ArrayList<>();
    private final List<GroupKind> namespaceBlacklist = new ArrayList<>();
    private final List<String> sourceNamespaces = new ArrayList<>();
    private final List<GroupKind> orphanIgnores = new ArrayList<>();
    private final List<SyncWindow> syncWindows = new ArrayList<>();
    private final List<String> unenforced = new ArrayList<>();
    private boolean warnOrphans;
    private ResourceScope scope = ResourceScope.builtIn();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
      if (!ProjectSource.isValidName(name)) {
        throw new IllegalArgumentException(ProjectSource.invalidNameReason(name));
      }
    }

    public Builder sourceRepo(String glob) {
      sourceRepos.add(Objects.requireNonNull(glob, "sourceRepo"));
      return this;
    }

    public Builder destination(Destination destination) {
      destinations.add(Objects.requireNonNull(destination, "destination"));
      return this;
    }

    public Builder clusterResourceWhitelist(GroupKind gk) {
      clusterWhitelist.add(gk);
      return this;
    }

    public Builder clusterResourceBlacklist(GroupKind gk) {
      clusterBlacklist.add(gk);
      return this;
    }

    public Builder namespaceResourceWhitelist(GroupKind gk) {
      namespaceWhitelist.add(gk);
      return this;
    }

    public Builder namespaceResourceBlacklist(GroupKind gk) {
      namespaceBlacklist.add(gk);
      return this;
    }

    public Builder warnOrphanedResources(boolean warn) {
      this.warnOrphans = warn;
      return this;
    }

    public Builder sourceNamespace(String glob) {
      sourceNamespaces.add(Objects.requireNonNull(glob, "sourceNamespace"));
      return this;
    }

    public Builder syncWindow(SyncWindow window) {
      syncWindows.add(Objects.requireNonNull(window, "window"));
      return this;
    }

    /** Which kinds are namespaced; defaults to {@link ResourceScope#builtIn()}. */
    public Builder scope(ResourceScope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    public Project build() {
      return new Project(this);
    }
  }
}
