package io.glidepath.git.backfill;

import io.glidepath.core.Origin;
import io.glidepath.core.diff.ResourceDrift;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.resource.ResourceKey;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.core.yaml.YamlDocument;
import io.glidepath.core.yaml.YamlException;
import io.glidepath.git.CommitId;
import io.glidepath.git.GitException;
import io.glidepath.git.GitSource;
import io.glidepath.git.backfill.HelmValueMapping.Status;
import io.glidepath.git.backfill.internal.FieldDiffer;
import io.glidepath.git.backfill.internal.FieldDiffer.Change;
import io.glidepath.git.backfill.internal.HelmValueIndex;
import io.glidepath.git.backfill.internal.StrategicPatch;
import io.glidepath.git.internal.CommitPlumbing;
import io.glidepath.git.internal.DefaultGitSource;
import io.glidepath.git.writeback.SurgicalYaml;
import io.glidepath.git.writeback.YamlEditException;
import io.glidepath.git.writeback.YamlEditResult;
import io.glidepath.git.writeback.YamlPath;
import io.glidepath.git.writeback.YamlPath.Key;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.PersonIdent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the live values of a drifted resource back into Git, on a new branch for review: the
 * emergency channel's "write the hotfix back, or the next sync undoes it".
 *
 * <pre>{@code
 * DriftBackfill backfill = DriftBackfill.builder(cache.source(remote))
 *     .author("Ops Bot", "ops@example.com")
 *     .build();
 * ResourceDrift drift = report.get(key).orElseThrow(); // MODIFIED: someone scaled by hand
 * BackfillResult r = backfill.backfill(
 *     BackfillRequest.of("trade-service", "main", "apps/trade-service", drift));
 * r.branch(); // backfill/trade-service/deployment-web-20261125T120000Z, ready for a pull request
 * }</pre>
 *
 * <p>The drifted fields are the differences between the drift's compared desired and live trees
 * (list items matched by merge key: {@code spec.template.spec.containers[name=app].image}). How
 * they are written depends on the application's {@link SourceType}, found from the files at the
 * head of the request's branch ({@code Chart.yaml}: Helm, a kustomization: Kustomize, else plain
 * YAML):
 *
 * <ul>
 *   <li>plain YAML: the manifest the resource came from ({@link Resource#origin()}: file and
 *       document) is edited with {@link SurgicalYaml}: changed scalars in place, new maps and lists
 *       as indented lines, removed keys and list items with their lines; comments and every other
 *       byte kept. A field that cannot be edited that way is refused, not rewritten.
 *   <li>Kustomize: a strategic-merge patch {@code glidepath-backfill-<kind>-<name>.yaml} is added
 *       to (or extended in) the overlay at the app path and listed under {@code patches:} in its
 *       kustomization; the base is never touched.
 *   <li>Helm: nothing is written; {@link BackfillResult#helmValues()} says per field which values
 *       key would have to change, or that the mapping is ambiguous or not derivable.
 * </ul>
 *
 * <p>Secret data ({@code data}, {@code stringData} of a Secret) and masked sensitive values are
 * never written: they are refused with the reason (manage them with Sealed Secrets or the External
 * Secrets Operator instead). The commit goes to a new branch {@code
 * backfill/<app>/<kind>-<name>-<UTC time>} made from the head of the request's branch, with the
 * message {@code fix(<app>): backfill live spec.replicas=15 of apps/Deployment:production/web}, and
 * is pushed without force; the request's branch itself is never written. When every field is
 * refused or already in Git, nothing is committed.
 *
 * <p>Defaults: author {@code Glidepath <glidepath@localhost>}, the system UTC clock, branch prefix
 * {@value #DEFAULT_BRANCH_PREFIX}. Thread-safe; backfills on one cached clone are serialised.
 */
public final class DriftBackfill {
  public static final String DEFAULT_BRANCH_PREFIX = "backfill";

  private static final Pattern MASK = Pattern.compile("\\+{8,}");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final List<String> KUSTOMIZATIONS =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private final DefaultGitSource source;
  private final CommitPlumbing plumbing;
  private final String authorName;
  private final String authorEmail;
  private final Clock clock;
  private final String branchPrefix;

  private DriftBackfill(Builder b) {
    this.source = b.source;
    this.plumbing = new CommitPlumbing(b.source);
    this.authorName = b.authorName;
    this.authorEmail = b.authorEmail;
    this.clock = b.clock;
    this.branchPrefix = b.branchPrefix;
  }

  /**
   * A builder writing through {@code source} (a source from a {@link io.glidepath.git.GitCache}).
   */
  public static Builder builder(GitSource source) {
    return new Builder(DefaultGitSource.from(Objects.requireNonNull(source, "source")));
  }

  /**
   * Writes the live values of {@code request}'s drifted fields into a new branch and pushes it; see
   * the class description.
   *
   * @throws BackfillException when the resource's manifest cannot be found or the branch not pushed
   * @throws GitException when the repository cannot be fetched or read
   */
  public BackfillResult backfill(BackfillRequest request) {
    Objects.requireNonNull(request, "request");
    ResourceDrift drift = request.drift();
    ResourceKey key = drift.key();
    JsonNode desired = drift.comparedDesired().orElseThrow();
    JsonNode live = drift.comparedLive().orElseThrow();
    List<RefusedField> refused = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    boolean secret = key.group().isEmpty() && key.kind().equals("Secret");
    for (Change c : FieldDiffer.diff(desired, live)) {
      Optional<String> why = refusal(secret, c);
      if (why.isPresent()) {
        refused.add(new RefusedField(c.path().toString(), why.get()));
      } else {
        changes.add(c);
      }
    }
    source.cached().lock().lock();
    try {
      source.fetchLocked();
      CommitId head =
          plumbing
              .branchHead(request.branch())
              .orElseThrow(
                  () ->
                      new GitException(
                          source.remote().url(),
                          "branch "
                              + request.branch()
                              + " does not exist in "
                              + source.remote().url()));
      SourceType type = sourceType(head, request.appPath());
      if (type == SourceType.HELM) {
        List<HelmValueMapping> mappings = helm(head, request, changes);
        return new BackfillResult(
            key,
            type,
            head,
            Optional.empty(),
            Optional.empty(),
            List.of(),
            List.of(),
            refused,
            mappings);
      }
      Map<String, String> contents = new LinkedHashMap<>();
      List<BackfilledField> written = new ArrayList<>();
      if (type == SourceType.PLAIN_YAML) {
        plain(head, drift, changes, contents, written, refused);
      } else {
        kustomize(head, request, desired, live, changes, contents, written);
      }
      if (contents.isEmpty()) {
        return new BackfillResult(
            key,
            type,
            head,
            Optional.empty(),
            Optional.empty(),
            List.of(),
            List.of(),
            refused,
            List.of());
      }
      String branch = branchName(request.application(), key);
      var now = clock.instant();
      PersonIdent who = new PersonIdent(authorName, authorEmail, now, ZoneOffset.UTC);
      CommitId commit =
          plumbing.commit(head, contents, who, who, message(request, key, written, refused));
      CommitPlumbing.PushOutcome pushed = plumbing.push(commit, branch);
      if (!pushed.accepted()) {
        throw new BackfillException(
            key, "the remote refused the new branch " + branch + ": " + pushed.reason());
      }
      return new BackfillResult(
          key,
          type,
          head,
          Optional.of(branch),
          Optional.of(commit),
          List.copyOf(contents.keySet()),
          written,
          refused,
          List.of());
    } finally {
      source.cached().lock().unlock();
    }
  }

  private static Optional<String> refusal(boolean secret, Change c) {
    if (secret
        && c.path().segments().get(0) instanceof Key k
        && (k.name().equals("data")
            || k.name().equals("stringData")
            || k.name().equals("binaryData"))) {
      return Optional.of(
          "Secret data is never written into Git; manage it with Sealed Secrets or the External"
              + " Secrets Operator and let the controller sync it");
    }
    if (c.live().isPresent() && holdsMask(c.live().get())) {
      return Optional.of(
          "the live value is a masked sensitive value; sensitive values are never written into"
              + " Git");
    }
    return Optional.empty();
  }

  private static boolean holdsMask(JsonNode node) {
    if (node.isString()) {
      return MASK.matcher(node.stringValue()).matches();
    }
    for (JsonNode child : node) {
      if (holdsMask(child)) {
        return true;
      }
    }
    return false;
  }

  private SourceType sourceType(CommitId head, String appPath) {
    if (plumbing.readFile(head, join(appPath, "Chart.yaml")).isPresent()) {
      return SourceType.HELM;
    }
    for (String k : KUSTOMIZATIONS) {
      if (plumbing.readFile(head, join(appPath, k)).isPresent()) {
        return SourceType.KUSTOMIZE;
      }
    }
    return SourceType.PLAIN_YAML;
  }

  // ---- plain YAML

  private void plain(
      CommitId head,
      ResourceDrift drift,
      List<Change> changes,
      Map<String, String> contents,
      List<BackfilledField> written,
      List<RefusedField> refused) {
    ResourceKey key = drift.key();
    Origin origin = drift.desired().orElseThrow().origin();
    String file = origin.source();
    String text =
        plumbing
            .readFile(head, file)
            .orElseThrow(
                () ->
                    new BackfillException(
                        key,
                        "its origin "
                            + origin
                            + " is not a file of the repository (the resource must come from a"
                            + " manifest file, with its repository-relative path as origin)"));
    checkDocument(key, file, text, origin.documentIndex());
    String edited = text;
    for (Change c : changes) {
      try {
        YamlEditResult r =
            c.live().isPresent()
                ? SurgicalYaml.setValue(
                    edited, file, origin.documentIndex(), c.path(), c.live().get())
                : SurgicalYaml.remove(edited, file, origin.documentIndex(), c.path());
        if (r.changed()) {
          edited = r.text();
          written.add(new BackfilledField(c.path().toString(), c.live()));
        }
      } catch (YamlEditException e) {
        refused.add(new RefusedField(c.path().toString(), e.getMessage()));
      }
    }
    if (!edited.equals(text)) {
      contents.put(file, edited);
    }
  }

  private static void checkDocument(ResourceKey key, String file, String text, int index) {
    List<YamlDocument> docs;
    try {
      docs = Yaml.readDocuments(text, file);
    } catch (YamlException e) {
      throw new BackfillException(key, file + " is not valid YAML: " + e.getMessage());
    }
    for (YamlDocument d : docs) {
      if (d.origin().documentIndex() == index) {
        JsonNode c = d.content();
        if (c.path("kind").stringValue("").equals(key.kind())
            && c.path("metadata").path("name").stringValue("").equals(key.name())) {
          return;
        }
        throw new BackfillException(
            key,
            "document "
                + index
                + " of "
                + file
                + " is not this resource"
                + (c.path("kind").stringValue("").equals("List")
                    ? " but a kind: List; items of a List are not edited"
                    : "; the file changed since it was rendered"));
      }
    }
    throw new BackfillException(key, file + " has no document " + index);
  }

  // ---- Kustomize

  private void kustomize(
      CommitId head,
      BackfillRequest request,
      JsonNode desired,
      JsonNode live,
      List<Change> changes,
      Map<String, String> contents,
      List<BackfilledField> written) {
    ResourceKey key = request.drift().key();
    if (changes.isEmpty()) {
      return;
    }
    String kustFile = null;
    String kustText = null;
    for (String k : KUSTOMIZATIONS) {
      Optional<String> t = plumbing.readFile(head, join(request.appPath(), k));
      if (t.isPresent()) {
        kustFile = join(request.appPath(), k);
        kustText = t.get();
        break;
      }
    }
    JsonNode kust;
    try {
      kust = Yaml.readTree(kustText, kustFile);
    } catch (YamlException e) {
      throw new BackfillException(key, kustFile + " is not valid YAML: " + e.getMessage());
    }
    // the overlay's patches apply before its own namePrefix/nameSuffix: name the original
    ObjectNode named = (ObjectNode) desired.deepCopy();
    String prefix = kust.path("namePrefix").stringValue("");
    String suffix = kust.path("nameSuffix").stringValue("");
    String name = key.name();
    if (name.startsWith(prefix)
        && name.endsWith(suffix)
        && name.length() > prefix.length() + suffix.length()) {
      name = name.substring(prefix.length(), name.length() - suffix.length());
    }
    ((ObjectNode) named.get("metadata")).put("name", name);
    StrategicPatch patch = new StrategicPatch(key.group(), named, live);
    for (Change c : changes) {
      patch.add(c.path());
      written.add(new BackfilledField(c.path().toString(), c.live()));
    }
    String patchName = "glidepath-backfill-" + slug(key.kind()) + "-" + slug(key.name()) + ".yaml";
    String patchFile = join(request.appPath(), patchName);
    ObjectNode tree = patch.tree();
    Optional<String> existing = plumbing.readFile(head, patchFile);
    if (existing.isPresent()) {
      JsonNode old;
      try {
        old = Yaml.readTree(existing.get(), patchFile);
      } catch (YamlException e) {
        throw new BackfillException(key, patchFile + " is not valid YAML: " + e.getMessage());
      }
      if (!(old instanceof ObjectNode o)) {
        throw new BackfillException(key, patchFile + " is not a mapping");
      }
      tree = StrategicPatch.merge(o, tree, key.group());
    }
    String patchText =
        "# Live values of "
            + key
            + " written back by Glidepath (emergency-channel backfill).\n"
            + Yaml.write(tree);
    if (existing.isEmpty() || !existing.get().equals(patchText)) {
      contents.put(patchFile, patchText);
    }
    JsonNode patches = kust.path("patches");
    for (JsonNode p : patches) {
      if (p.path("path").stringValue("").equals(patchName) && !p.has("target")) {
        return; // already listed
      }
    }
    ObjectNode entry = JsonNodeFactory.instance.objectNode().put("path", patchName);
    YamlPath where =
        patches.isArray() && !patches.isEmpty()
            ? new YamlPath(List.of(new Key("patches"), new YamlPath.Index(patches.size())))
            : YamlPath.parse("patches");
    JsonNode value =
        where.segments().size() == 1 ? JsonNodeFactory.instance.arrayNode().add(entry) : entry;
    try {
      contents.put(kustFile, SurgicalYaml.setValue(kustText, kustFile, 0, where, value).text());
    } catch (YamlEditException e) {
      throw new BackfillException(
          key, "cannot list the patch " + patchName + " in " + kustFile + ": " + e.getMessage());
    }
  }

  // ---- Helm

  private List<HelmValueMapping> helm(
      CommitId head, BackfillRequest request, List<Change> changes) {
    HelmValueIndex index = new HelmValueIndex();
    List<String> files = new ArrayList<>();
    files.add("values.yaml");
    files.addAll(request.valueFiles());
    for (String f : files) {
      String path = normalize(join(request.appPath(), f));
      Optional<String> text = path == null ? Optional.empty() : plumbing.readFile(head, path);
      if (text.isEmpty()) {
        continue;
      }
      try {
        JsonNode tree = Yaml.readTree(text.get(), path);
        if (tree.isObject()) {
          index.addLayer(tree, path);
        }
      } catch (YamlException e) {
        throw new BackfillException(
            request.drift().key(), path + " is not valid YAML: " + e.getMessage());
      }
    }
    List<HelmValueMapping> out = new ArrayList<>();
    for (Change c : changes) {
      String field = c.path().toString();
      if (c.live().isEmpty() || c.desired().isEmpty()) {
        out.add(
            new HelmValueMapping(
                field,
                Status.NOT_DERIVABLE,
                List.of(),
                Optional.empty(),
                c.live(),
                c.live().isEmpty()
                    ? "the field was removed live; which template condition renders it cannot be"
                        + " derived from the values"
                    : "the field was added live; the chart does not render it, so no values key"
                        + " sets it"));
        continue;
      }
      JsonNode d = c.desired().get();
      JsonNode l = c.live().get();
      if (d.isContainer() || l.isContainer()) {
        out.add(
            new HelmValueMapping(
                field,
                Status.NOT_DERIVABLE,
                List.of(),
                Optional.empty(),
                c.live(),
                "the field is a map or list; only scalar fields are mapped to values keys"));
        continue;
      }
      List<HelmValueIndex.Leaf> hits = index.holding(d);
      String rendered = FieldDiffer.text(d);
      String liveText = FieldDiffer.text(l);
      if (hits.size() == 1) {
        HelmValueIndex.Leaf h = hits.get(0);
        out.add(
            new HelmValueMapping(
                field,
                Status.UNAMBIGUOUS,
                List.of(h.key()),
                Optional.of(h.file()),
                c.live(),
                "set " + h.key() + " from " + rendered + " to " + liveText + " in " + h.file()));
      } else if (hits.isEmpty()) {
        out.add(
            new HelmValueMapping(
                field,
                Status.NOT_DERIVABLE,
                List.of(),
                Optional.empty(),
                c.live(),
                "no values key holds the rendered value "
                    + rendered
                    + "; the template computes it (or takes it from a --set parameter), so the"
                    + " values key to change cannot be derived"));
      } else {
        List<String> keys = hits.stream().map(HelmValueIndex.Leaf::key).toList();
        out.add(
            new HelmValueMapping(
                field,
                Status.AMBIGUOUS,
                keys,
                Optional.empty(),
                c.live(),
                "the rendered value "
                    + rendered
                    + " is held by "
                    + keys.size()
                    + " values keys ("
                    + String.join(", ", keys)
                    + "); change the one the template uses"));
      }
    }
    return out;
  }

  // ---- names and messages

  private String branchName(String app, ResourceKey key) {
    return branchPrefix
        + "/"
        + slug(app)
        + "/"
        + slug(key.kind())
        + "-"
        + slug(key.name())
        + "-"
        + STAMP.format(clock.instant());
  }

  private static String message(
      BackfillRequest request,
      ResourceKey key,
      List<BackfilledField> written,
      List<RefusedField> refused) {
    StringBuilder sb = new StringBuilder();
    sb.append("fix(")
        .append(request.application())
        .append("): backfill live ")
        .append(String.join(", ", written.stream().map(DriftBackfill::brief).toList()))
        .append(" of ")
        .append(key)
        .append("\n\nWritten back from the cluster after a manual change (emergency channel),")
        .append("\nso that the next sync keeps it. Fields:\n");
    for (BackfilledField f : written) {
      sb.append("- ").append(f.describe()).append('\n');
    }
    if (!refused.isEmpty()) {
      sb.append("\nNot written:\n");
      for (RefusedField f : refused) {
        sb.append("- ").append(f.path()).append(": ").append(f.reason()).append('\n');
      }
    }
    return sb.toString();
  }

  /** A field for the subject line: with its value when that is short and on one line. */
  private static String brief(BackfilledField f) {
    String d = f.describe();
    return d.length() <= 80 && d.indexOf('\n') < 0 && d.indexOf('\r') < 0
        ? d
        : f.path() + " (changed)";
  }

  private static String slug(String s) {
    String out = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
    out = out.replaceAll("^[-.]+|[-.]+$", "").replace("..", ".");
    return out.isEmpty() ? "x" : out;
  }

  private static String join(String dir, String file) {
    return dir.isEmpty() ? file : dir + "/" + file;
  }

  /** {@code a/b/../c} as {@code a/c}; null when it climbs out of the repository. */
  private static String normalize(String path) {
    Path p = Path.of(path).normalize();
    String s = p.toString().replace('\\', '/');
    return s.startsWith("..") || p.isAbsolute() ? null : s;
  }

  @Override
  public String toString() {
    return "DriftBackfill[" + source.remote() + "]";
  }

  /** Settings of a {@link DriftBackfill}. Not thread-safe. */
  public static final class Builder {
    private final DefaultGitSource source;
    private String authorName = "Glidepath";
    private String authorEmail = "glidepath@localhost";
    private Clock clock = Clock.systemUTC();
    private String branchPrefix = DEFAULT_BRANCH_PREFIX;

    private Builder(DefaultGitSource source) {
      this.source = source;
    }

    /** The commit author and committer. */
    public Builder author(String name, String email) {
      Objects.requireNonNull(name, "author name");
      Objects.requireNonNull(email, "author email");
      if (name.isBlank() || email.isBlank()) {
        throw new IllegalArgumentException("author name and email must not be blank");
      }
      this.authorName = name;
      this.authorEmail = email;
      return this;
    }

    /** The clock for commit times and branch names. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The first component of new branch names ({@value DriftBackfill#DEFAULT_BRANCH_PREFIX}). */
    public Builder branchPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!prefix.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException(
            "branchPrefix must be one path component like backfill, but was '" + prefix + "'");
      }
      this.branchPrefix = prefix;
      return this;
    }

    public DriftBackfill build() {
      return new DriftBackfill(this);
    }
  }
}
