package io.glidepath.helm.repo;

import io.glidepath.core.render.ChartRequest;
import io.glidepath.core.render.ChartSource;
import io.glidepath.core.render.FetchedChart;
import io.glidepath.core.repo.RepoCredentialStore;
import io.glidepath.core.repo.RepoCredentials;
import io.glidepath.helm.internal.ChartArchive;
import io.glidepath.helm.internal.ChartDigests;
import io.glidepath.helm.internal.HelmIndex;
import io.glidepath.helm.internal.OciClient;
import io.glidepath.helm.internal.RepoHttp;
import io.glidepath.helm.repo.ChartSourceException.Reason;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches Helm charts from Helm repositories over HTTP(S) and from OCI registries, the way Argo CD
 * does for a source with {@code chart}, through an on-disk {@link ChartCache}.
 *
 * <pre>{@code
 * ChartFetcher charts = ChartFetcher.builder(ChartCache.open(cacheDir))
 *     .credentials(RepoCredentialStore.read(Path.of("argocd-repositories.yaml")))
 *     .build();
 * FetchedChart nginx = charts.fetch(
 *     new ChartRequest("https://kubernetes.github.io/ingress-nginx", "ingress-nginx", "4.11.2", false));
 * }</pre>
 *
 * <ul>
 *   <li><b>Helm repositories</b> ({@code https://}, {@code http://}): {@code index.yaml} is read
 *       (kept for {@link Builder#indexTtl}), the version chosen (an exact version, or the highest
 *       one satisfying a {@link VersionConstraint}), the archive downloaded from the entry's first
 *       URL (relative URLs against the repository) and checked against the index's digest.
 *   <li><b>OCI registries</b> ({@code oci://registry/path}, or {@code registry/path} when the
 *       repository's credentials say {@code enableOCI}): the chart is {@code path/chart}; a tag
 *       ({@code +} written {@code _}, as Helm pushes), a digest ({@code sha256:...}), or a
 *       constraint resolved against the tag list; the manifest must be a Helm chart's (OCI image
 *       manifest with Helm's config and chart layer media types), the layer is checked against its
 *       digest. Plain HTTP only with {@code insecureOCIForceHttp}.
 *   <li><b>Credentials</b> come from the {@link RepoCredentialStore} by the repository URL (Argo
 *       CD's repository and repo-creds Secrets): basic, bearer token, client certificate, the
 *       repository's CA certificates ({@code argocd-tls-certs-cm}) or {@code insecure}. For Helm
 *       repositories they go to the repository's own host only, unless the request says {@code
 *       passCredentials} (Helm's and Argo CD's rule); registries get them through their challenge.
 *   <li>An exact version already in the cache is served without any network access; a constraint
 *       needs the index (or the tag list) to choose.
 * </ul>
 *
 * <p>Every failure is a {@link ChartSourceException} naming the repository, the chart and the
 * version, with its {@link ChartSourceException.Reason}; nothing that failed verification is
 * cached; no credential appears in a message. Thread-safe.
 */
public final class ChartFetcher implements ChartSource {
  /** The largest {@code index.yaml} read. */
  public static final long DEFAULT_MAX_INDEX_BYTES = 64L * 1024 * 1024;

  /** The most chart versions an index may list. */
  public static final int DEFAULT_MAX_INDEX_ENTRIES = 200_000;

  /** How long a repository's index (or a registry's tag list) is reused. */
  public static final Duration DEFAULT_INDEX_TTL = Duration.ofMinutes(3);

  /** The timeout of one request. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static final java.util.regex.Pattern USERINFO =
      java.util.regex.Pattern.compile(
          "(?i)^[a-z][a-z0-9+.-]*://[^/@]*@.*", java.util.regex.Pattern.DOTALL);

  private final ChartCache cache;
  private final RepoCredentialStore credentials;
  private final Duration indexTtl;
  private final long maxIndexBytes;
  private final int maxIndexEntries;
  private final Clock clock;
  private final RepoHttp http;
  private final OciClient oci;
  private final Map<String, Timed<HelmIndex>> indexes = new ConcurrentHashMap<>();
  private final Map<String, Timed<List<String>>> tagLists = new ConcurrentHashMap<>();

  private record Timed<T>(T value, Instant at) {}

  private ChartFetcher(Builder b) {
    this.cache = b.cache;
    this.credentials = b.credentials;
    this.indexTtl = b.indexTtl;
    this.maxIndexBytes = b.maxIndexBytes;
    this.maxIndexEntries = b.maxIndexEntries;
    this.clock = b.clock;
    this.http = new RepoHttp(credentials, b.timeout);
    this.oci = new OciClient(http, clock);
  }

  /** A builder of a fetcher that caches in {@code cache}. */
  public static Builder builder(ChartCache cache) {
    return new Builder(cache);
  }

  @Override
  public FetchedChart fetch(ChartRequest request) {
    Objects.requireNonNull(request, "request");
    if (USERINFO.matcher(request.repository().strip()).matches()) {
      // never echo the URL: it holds a user name and perhaps a password
      throw new ChartSourceException(
          "a repository URL with credentials (chart " + request.chart() + ")",
          Reason.UNSUPPORTED,
          "credentials in the repository URL are not supported: put them in the repository's"
              + " Secret");
    }
    String source = request.toString();
    String repo = request.repository().strip();
    if (repo.startsWith("@") || repo.startsWith("alias:")) {
      // a chart dependency naming a repository by name: Argo CD's repositories with a name
      String name = repo.startsWith("@") ? repo.substring(1) : repo.substring("alias:".length());
      repo =
          credentials.repositories().stream()
              .filter(c -> c.name().filter(name::equals).isPresent())
              .map(RepoCredentials::url)
              .findFirst()
              .orElseThrow(
                  () ->
                      new ChartSourceException(
                          source,
                          Reason.NOT_FOUND,
                          "no repository named \""
                              + name
                              + "\" is configured (a repository Secret with name: "
                              + name
                              + ")"));
      request =
          new ChartRequest(repo, request.chart(), request.version(), request.passCredentials());
    }
    Optional<RepoCredentials> creds = credentials.find(repo);
    if (repo.regionMatches(true, 0, "oci://", 0, 6)) {
      return fetchOci(request, repo.substring(6), creds, source);
    }
    String lower = repo.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://") || lower.startsWith("http://")) {
      return fetchHttp(request, repo, creds, source);
    }
    if (!repo.contains("://") && creds.map(RepoCredentials::enableOci).orElse(false)) {
      return fetchOci(request, repo, creds, source);
    }
    throw new ChartSourceException(
        source,
        Reason.UNSUPPORTED,
        "the repository URL must start with https://, http:// or oci:// (or be a registry path"
            + " whose repository Secret says enableOCI)");
  }

  // ------------------------------------------------------------------------------------- HTTP

  private FetchedChart fetchHttp(
      ChartRequest request, String repo, Optional<RepoCredentials> creds, String source) {
    String chart = request.chart();
    String wanted = request.version().strip();
    boolean exact = ChartVersion.isExact(wanted);
    if (exact) {
      Optional<ChartCache.Hit> hit = cache.get(repo, chart, wanted, Optional.empty());
      if (hit.isPresent()) {
        return fetched(hit.get(), repo, chart, wanted);
      }
    }
    HelmIndex index = index(repo, creds, source);
    if (!index.has(chart)) {
      throw new ChartSourceException(
          source, Reason.NOT_FOUND, "the repository's index has no chart named " + chart);
    }
    HelmIndex.Entry entry = choose(index.versions(chart), wanted, exact, source);
    String version = exact ? wanted : entry.version().text();
    Optional<ChartCache.Hit> hit = cache.get(repo, chart, version, entry.digest());
    if (hit.isPresent()) {
      return fetched(hit.get(), repo, chart, version);
    }
    if (entry.urls().isEmpty() || entry.urls().get(0).isBlank()) {
      throw new ChartSourceException(
          source,
          Reason.INVALID_INDEX,
          "the index lists " + chart + " " + entry.version() + " without a URL");
    }
    URI base = URI.create(repo.endsWith("/") ? repo : repo + "/");
    URI url;
    try {
      url = base.resolve(entry.urls().get(0).strip());
    } catch (IllegalArgumentException e) {
      throw new ChartSourceException(
          source, Reason.INVALID_INDEX, "the index's URL of " + chart + " is not a URL");
    }
    if (url.getScheme() == null
        || !(url.getScheme().equals("https") || url.getScheme().equals("http"))) {
      throw new ChartSourceException(
          source, Reason.UNSUPPORTED, "the index's URL of " + chart + " is not an HTTP(S) URL");
    }
    boolean sameHost =
        Objects.equals(url.getHost(), base.getHost())
            && url.getPort() == base.getPort()
            && url.getScheme().equals(base.getScheme());
    // Helm (since 3.6.1) and Argo CD send the repository's credentials to its own host only
    Optional<String> auth =
        sameHost || request.passCredentials() ? RepoHttp.authorization(creds) : Optional.empty();
    RepoHttp.Response r =
        get(url, creds, auth, ChartArchive.MAX_TOTAL_BYTES, request.passCredentials(), source);
    checkStatus(r, creds, source, "the chart archive " + url.getPath());
    byte[] archive = r.body();
    if (entry.digest().isPresent()) {
      String actual = ChartDigests.sha256(archive);
      if (!ChartDigests.same(actual, entry.digest().get())) {
        throw new ChartSourceException(
            source,
            Reason.DIGEST_MISMATCH,
            "the archive has digest "
                + actual
                + ", but the index names "
                + entry.digest().get()
                + " (not cached)");
      }
    }
    return store(repo, chart, version, archive, source);
  }

  private HelmIndex.Entry choose(
      List<HelmIndex.Entry> entries, String wanted, boolean exact, String source) {
    if (exact) {
      ChartVersion v = ChartVersion.parse(wanted);
      for (HelmIndex.Entry e : entries) {
        if (e.version().sameAs(v)) {
          return e;
        }
      }
      throw new ChartSourceException(
          source, Reason.NO_MATCHING_VERSION, "no version " + wanted + available(entries));
    }
    VersionConstraint constraint = constraint(wanted, source);
    HelmIndex.Entry best = null;
    for (HelmIndex.Entry e : entries) {
      if ((best == null || e.version().compareTo(best.version()) > 0)
          && constraint.test(e.version())) {
        best = e;
      }
    }
    if (best == null) {
      throw new ChartSourceException(
          source,
          Reason.NO_MATCHING_VERSION,
          "no version satisfies " + (wanted.isEmpty() ? "*" : wanted) + available(entries));
    }
    return best;
  }

  private static VersionConstraint constraint(String wanted, String source) {
    try {
      return VersionConstraint.parse(wanted);
    } catch (IllegalArgumentException e) {
      throw new ChartSourceException(
          source,
          Reason.NO_MATCHING_VERSION,
          "\"" + wanted + "\" is neither a version nor a version constraint");
    }
  }

  private static String available(List<HelmIndex.Entry> entries) {
    List<ChartVersion> versions = new ArrayList<>();
    entries.forEach(e -> versions.add(e.version()));
    return availableVersions(versions);
  }

  private static String availableVersions(List<ChartVersion> versions) {
    if (versions.isEmpty()) {
      return " (it has no versions)";
    }
    List<ChartVersion> sorted = new ArrayList<>(versions);
    sorted.sort(java.util.Comparator.reverseOrder());
    List<String> shown = sorted.stream().limit(5).map(ChartVersion::text).toList();
    return " (newest: " + String.join(", ", shown) + (sorted.size() > 5 ? ", ..." : "") + ")";
  }

  private HelmIndex index(String repo, Optional<RepoCredentials> creds, String source) {
    Timed<HelmIndex> cached = indexes.get(repo);
    if (cached != null && clock.instant().isBefore(cached.at().plus(indexTtl))) {
      return cached.value();
    }
    URI url;
    try {
      url = URI.create((repo.endsWith("/") ? repo : repo + "/") + "index.yaml");
    } catch (IllegalArgumentException e) {
      throw new ChartSourceException(source, Reason.UNSUPPORTED, "the repository URL is not a URL");
    }
    RepoHttp.Response r =
        get(url, creds, RepoHttp.authorization(creds), maxIndexBytes, false, source);
    checkStatus(r, creds, source, "index.yaml");
    HelmIndex index;
    try {
      index = HelmIndex.parse(r.body(), repo + "/index.yaml", maxIndexEntries);
    } catch (HelmIndex.InvalidIndex e) {
      throw new ChartSourceException(source, Reason.INVALID_INDEX, e.getMessage());
    }
    indexes.put(repo, new Timed<>(index, clock.instant()));
    return index;
  }

  private RepoHttp.Response get(
      URI url,
      Optional<RepoCredentials> creds,
      Optional<String> auth,
      long max,
      boolean pass,
      String source) {
    try {
      return http.get(url, creds, auth, Map.of(), max, pass);
    } catch (RepoHttp.TooLarge e) {
      throw new ChartSourceException(
          source,
          url.getPath().endsWith("index.yaml") ? Reason.INVALID_INDEX : Reason.INVALID_ARCHIVE,
          e.getMessage(),
          -1,
          null);
    } catch (IOException e) {
      throw new ChartSourceException(
          source, Reason.TRANSPORT, "cannot reach " + url.getHost() + ": " + e.getMessage(), -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChartSourceException(source, Reason.TRANSPORT, "interrupted", -1, e);
    }
  }

  private static void checkStatus(
      RepoHttp.Response r, Optional<RepoCredentials> creds, String source, String what) {
    if (r.ok()) {
      return;
    }
    int s = r.status();
    if (s == 401 || s == 403) {
      throw new ChartSourceException(
          source,
          Reason.UNAUTHORIZED,
          creds.isPresent() && (creds.get().hasBasic() || creds.get().bearerToken().isPresent())
              ? "the repository refused the credentials of "
                  + creds.get().source()
                  + " for "
                  + what
                  + " (HTTP "
                  + s
                  + ")"
              : "the repository needs credentials for "
                  + what
                  + " (HTTP "
                  + s
                  + "), and none are configured for it",
          s,
          null);
    }
    if (s == 404) {
      throw new ChartSourceException(
          source, Reason.NOT_FOUND, what + " does not exist (HTTP 404)", s, null);
    }
    throw new ChartSourceException(
        source, Reason.TRANSPORT, what + ": the repository answered HTTP " + s, s, null);
  }

  // -------------------------------------------------------------------------------------- OCI

  private FetchedChart fetchOci(
      ChartRequest request, String path, Optional<RepoCredentials> creds, String source) {
    String chart = request.chart();
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int slash = base.indexOf('/');
    String registry = slash < 0 ? base : base.substring(0, slash);
    String repoPath = (slash < 0 ? "" : base.substring(slash + 1) + "/") + chart;
    if (registry.isBlank() || !repoPath.matches("[a-z0-9]+([._/-][a-z0-9]+)*")) {
      throw new ChartSourceException(
          source,
          Reason.UNSUPPORTED,
          "oci://" + registry + "/" + repoPath + " is not a valid OCI repository name");
    }
    OciClient.Repo repo =
        new OciClient.Repo(
            registry, repoPath, creds.map(RepoCredentials::insecureOciForceHttp).orElse(false));
    String cacheRepo = "oci://" + base;
    String wanted = request.version().strip();
    try {
      String reference;
      String version;
      if (wanted.startsWith("sha256:")) {
        reference = wanted;
        version = wanted;
      } else if (ChartVersion.isExact(wanted)) {
        reference = wanted.replace('+', '_');
        version = wanted;
      } else {
        VersionConstraint c = constraint(wanted, source);
        List<ChartVersion> versions = new ArrayList<>();
        for (String tag : tags(repo, creds)) {
          ChartVersion.tryParse(tag.replace('_', '+')).ifPresent(versions::add);
        }
        ChartVersion best =
            c.highest(versions)
                .orElseThrow(
                    () ->
                        new ChartSourceException(
                            source,
                            Reason.NO_MATCHING_VERSION,
                            "no tag satisfies "
                                + (wanted.isEmpty() ? "*" : wanted)
                                + availableVersions(versions)));
        version = best.text();
        reference = version.replace('+', '_');
      }
      // a chart version is immutable (as Argo CD treats it): a cached one needs no registry
      Optional<ChartCache.Hit> cached = cache.get(cacheRepo, chart, version, Optional.empty());
      if (cached.isPresent()) {
        return fetched(cached.get(), cacheRepo, chart, version);
      }
      OciClient.Manifest m = oci.manifest(repo, reference, creds);
      Optional<ChartCache.Hit> hit =
          cache.get(cacheRepo, chart, version, Optional.of(m.layerDigest()));
      if (hit.isPresent()) {
        return fetched(hit.get(), cacheRepo, chart, version);
      }
      byte[] archive = oci.blob(repo, m.layerDigest(), ChartArchive.MAX_TOTAL_BYTES, creds);
      return store(cacheRepo, chart, version, archive, source);
    } catch (OciClient.OciException e) {
      Reason reason =
          switch (e.kind()) {
            case NOT_FOUND -> Reason.NOT_FOUND;
            case UNAUTHORIZED -> Reason.UNAUTHORIZED;
            case WRONG_MEDIA_TYPE -> Reason.WRONG_MEDIA_TYPE;
            case DIGEST_MISMATCH -> Reason.DIGEST_MISMATCH;
            case TRANSPORT -> Reason.TRANSPORT;
          };
      throw new ChartSourceException(source, reason, e.getMessage(), e.status(), null);
    } catch (RepoHttp.TooLarge e) {
      throw new ChartSourceException(source, Reason.INVALID_ARCHIVE, e.getMessage(), -1, null);
    } catch (IOException e) {
      throw new ChartSourceException(
          source, Reason.TRANSPORT, "cannot reach " + registry + ": " + e.getMessage(), -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChartSourceException(source, Reason.TRANSPORT, "interrupted", -1, e);
    }
  }

  private List<String> tags(OciClient.Repo repo, Optional<RepoCredentials> creds)
      throws IOException, InterruptedException, OciClient.OciException {
    String key = repo.toString();
    Timed<List<String>> cached = tagLists.get(key);
    if (cached != null && clock.instant().isBefore(cached.at().plus(indexTtl))) {
      return cached.value();
    }
    List<String> tags = oci.tags(repo, creds);
    tagLists.put(key, new Timed<>(List.copyOf(tags), clock.instant()));
    return tags;
  }

  // ----------------------------------------------------------------------------------- shared

  private FetchedChart store(
      String repo, String chart, String version, byte[] archive, String source) {
    try {
      return fetched(cache.put(repo, chart, version, archive), repo, chart, version);
    } catch (ChartArchive.ArchiveException e) {
      throw new ChartSourceException(
          source,
          Reason.INVALID_ARCHIVE,
          "the chart archive is refused: " + e.getMessage() + " (not cached)");
    } catch (IOException e) {
      throw new ChartSourceException(
          source, Reason.TRANSPORT, "cannot write the chart cache: " + e.getMessage(), -1, e);
    }
  }

  private static FetchedChart fetched(
      ChartCache.Hit hit, String repo, String chart, String version) {
    return new FetchedChart(hit.unpacked(), repo, chart, version, hit.digest());
  }

  @Override
  public String toString() {
    return "ChartFetcher[" + cache + ", " + credentials + "]";
  }

  /** Settings of a {@link ChartFetcher}. Not thread-safe. */
  public static final class Builder {
    private final ChartCache cache;
    private RepoCredentialStore credentials = RepoCredentialStore.EMPTY;
    private Duration indexTtl = DEFAULT_INDEX_TTL;
    private Duration timeout = DEFAULT_TIMEOUT;
    private long maxIndexBytes = DEFAULT_MAX_INDEX_BYTES;
    private int maxIndexEntries = DEFAULT_MAX_INDEX_ENTRIES;
    private Clock clock = Clock.systemUTC();

    private Builder(ChartCache cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
    }

    /** Where credentials, CA certificates come from (default: none). */
    public Builder credentials(RepoCredentialStore credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** How long an index or tag list is reused (default 3 min); zero reads it on every fetch. */
    public Builder indexTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("indexTtl must be >= 0, but was " + ttl);
      }
      this.indexTtl = ttl;
      return this;
    }

    /** The timeout of one request (default 60 s). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The largest index read (default 64 MiB). */
    public Builder maxIndexBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxIndexBytes must be >= 1, but was " + bytes);
      }
      this.maxIndexBytes = bytes;
      return this;
    }

    /** The most chart versions an index may list (default 200,000). */
    public Builder maxIndexEntries(int entries) {
      if (entries < 1) {
        throw new IllegalArgumentException("maxIndexEntries must be >= 1, but was " + entries);
      }
      this.maxIndexEntries = entries;
      return this;
    }

    /** The clock for the index and token lifetimes. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public ChartFetcher build() {
      return new ChartFetcher(this);
    }
  }
}
