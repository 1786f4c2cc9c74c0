package io.glidepath.testkit.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.cbor.CBORGenerator;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * One local HTTP server (on 127.0.0.1) that speaks the query APIs of the metric backends Argo
 * Rollouts' providers use, each at the paths its documentation gives: Datadog, New Relic NerdGraph,
 * Wavefront, Graphite, InfluxDB 2, Kayenta, SkyWalking, Prometheus (with OAuth2 and SigV4), an
 * OAuth2 token endpoint and Amazon CloudWatch (Smithy RPC v2 CBOR, SigV4).
 *
 * <p>Every request is checked against the API's documented contract (path, method, parameters,
 * headers, body, signature). One that breaks it is answered 400 and recorded in {@link
 * #violations()}, which a test asserts empty; one with wrong credentials gets the service's own
 * authentication error. Queries are answered from each backend's script of {@link Answer}s.
 *
 * <pre>{@code
 * try (FakeMetricsServer server = FakeMetricsServer.start()) {
 *   server.datadog().respond(Answer.values(0.004));
 *   // point the template or the Secret at server.uri() ...
 *   assertThat(server.violations()).isEmpty();
 * }
 * }</pre>
 *
 * <p>The credentials it accepts are the public constants below. Thread-safe.
 */
public final class FakeMetricsServer implements AutoCloseable {
  /** Datadog API key accepted. */
  public static final String DATADOG_API_KEY = "dd-api-key-0123456789";

  /** Datadog application key accepted. */
  public static final String DATADOG_APP_KEY = "dd-app-key-0123456789";

  /** New Relic personal API key accepted. */
  public static final String NEWRELIC_API_KEY = "NRAK-TESTKEY0123456789";

  /** New Relic account id accepted. */
  public static final long NEWRELIC_ACCOUNT_ID = 1234567;

  /** Wavefront API token accepted. */
  public static final String WAVEFRONT_TOKEN = "wf-token-0123456789";

  /** InfluxDB token accepted. */
  public static final String INFLUX_TOKEN = "influx-token-0123456789";

  /** InfluxDB organization expected. */
  public static final String INFLUX_ORG = "glidepath";

  /** Kayenta canary config known (its id is {@value #KAYENTA_CONFIG_ID}). */
  public static final String KAYENTA_CONFIG = "trade-service-canary";

  /** The id of {@link #KAYENTA_CONFIG}. */
  public static final String KAYENTA_CONFIG_ID = "cfg-7f3a";

  /** OAuth2 client id accepted by the token endpoint. */
  public static final String OAUTH_CLIENT_ID = "glidepath-client";

  /** OAuth2 client secret accepted by the token endpoint. */
  public static final String OAUTH_CLIENT_SECRET = "oauth-secret-0123456789";

  /** AWS access key id accepted. */
  public static final String AWS_ACCESS_KEY = "AKIAGLIDEPATHTEST";

  /** AWS secret key requests must be signed with. */
  public static final String AWS_SECRET_KEY = "aws-secret-key-0123456789";

  /** The AWS region signatures must name. */
  public static final String AWS_REGION = "eu-west-1";

  /** The path of the OAuth2 token endpoint. */
  public static final String TOKEN_PATH = "/oauth2/token";

  /** The path New Relic's NerdGraph answers at (set as the Secret's base-url-nerdgraph). */
  public static final String NERDGRAPH_PATH = "/nerdgraph/graphql";

  /** The path prefix of the Amazon Managed Prometheus workspace. */
  public static final String AMP_PREFIX = "/workspaces/ws-glidepath";

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final HttpServer server;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final Map<String, Backend> backends = new LinkedHashMap<>();
  private final AtomicInteger tokens = new AtomicInteger();
  private final AtomicInteger executions = new AtomicInteger();
  private final Map<String, Integer> executionPolls =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Answer> executionAnswers =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Sigv4Verifier sigv4 = Sigv4Verifier.of(AWS_ACCESS_KEY, AWS_SECRET_KEY);
  private volatile String prometheusAuth = "none";
  private volatile int kayentaIncompletePolls = 1;

  /** A query backend's script of answers and its request count. */
  public static final class Backend {
    private final String name;
    private final List<Answer> script = new ArrayList<>(List.of(Answer.values(1)));
    private final AtomicInteger calls = new AtomicInteger();

    private Backend(String name) {
      this.name = name;
    }

    /** Answers the next queries with {@code answers} in order; the last repeats. */
    public synchronized Backend respond(Answer... answers) {
      if (answers.length == 0) {
        throw new IllegalArgumentException("respond needs at least one answer");
      }
      script.clear();
      script.addAll(List.of(answers));
      return this;
    }

    /** Queries answered so far. */
    public int calls() {
      return calls.get();
    }

    synchronized Answer next() {
      calls.incrementAndGet();
      return script.size() > 1 ? script.remove(0) : script.get(0);
    }

    @Override
    public String toString() {
      return "Backend[" + name + "]";
    }
  }

  private FakeMetricsServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake metrics server", e);
    }
    for (String b :
        List.of(
            "datadog",
            "newrelic",
            "wavefront",
            "graphite",
            "influxdb",
            "kayenta",
            "skywalking",
            "prometheus",
            "cloudwatch")) {
      backends.put(b, new Backend(b));
    }
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a server on a free port of 127.0.0.1. */
  public static FakeMetricsServer start() {
    return new FakeMetricsServer();
  }

  /** The server's base URI, {@code http://127.0.0.1:<port>}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public Backend datadog() {
    return backends.get("datadog");
  }

  public Backend newRelic() {
    return backends.get("newrelic");
  }

  public Backend wavefront() {
    return backends.get("wavefront");
  }

  public Backend graphite() {
    return backends.get("graphite");
  }

  public Backend influxDb() {
    return backends.get("influxdb");
  }

  /**
   * Kayenta: each judgement is incomplete at its first poll ({@link #kayentaIncompletePolls}), then
   * complete with the score.
   */
  public Backend kayenta() {
    return backends.get("kayenta");
  }

  public Backend skyWalking() {
    return backends.get("skywalking");
  }

  public Backend prometheus() {
    return backends.get("prometheus");
  }

  public Backend cloudWatch() {
    return backends.get("cloudwatch");
  }

  /**
   * Makes Prometheus require {@code none}, {@code bearer} (a token from the OAuth2 endpoint) or
   * {@code sigv4} (signed for {@value #AWS_REGION} and service {@code aps}).
   */
  public FakeMetricsServer prometheusAuthentication(String mode) {
    if (!List.of("none", "bearer", "sigv4").contains(mode)) {
      throw new IllegalArgumentException("mode must be none, bearer or sigv4, but was " + mode);
    }
    this.prometheusAuth = mode;
    return this;
  }

  /** How many polls of a Kayenta judgement answer "not complete" before the score (default 1). */
  public FakeMetricsServer kayentaIncompletePolls(int polls) {
    if (polls < 0) {
      throw new IllegalArgumentException("polls must be >= 0, but was " + polls);
    }
    this.kayentaIncompletePolls = polls;
    return this;
  }

  /** OAuth2 tokens issued so far. */
  public int tokensIssued() {
    return tokens.get();
  }

  /** Every request received, in order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** Requests that broke their API's contract, with the reason; each was answered 400. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  // ------------------------------------------------------------------ dispatch

  private record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    static Reply json(int status, JsonNode body) {
      return new Reply(status, "application/json", JSON.writeValueAsBytes(body), Map.of());
    }

    static Reply text(int status, String contentType, String body) {
      return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }
  }

  /** A broken contract: answered 400 and recorded. */
  private static final class Violation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Violation(String message) {
      super(message);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    RecordedRequest r = record(ex);
    requests.add(r);
    Reply reply;
    try {
      reply = route(r);
    } catch (Violation v) {
      violations.add(r + ": " + v.getMessage());
      reply = Reply.text(400, "text/plain", "contract violation: " + v.getMessage());
    } catch (RuntimeException e) {
      violations.add(r + ": " + e);
      reply = Reply.text(400, "text/plain", "bad request: " + e.getMessage());
    }
    reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.getResponseHeaders().set("Content-Type", reply.contentType());
    ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(reply.body());
    }
  }

  private static RecordedRequest record(HttpExchange ex) throws IOException {
    URI uri = ex.getRequestURI();
    String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    ex.getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    headers.put("host", ex.getRequestHeaders().getFirst("Host"));
    byte[] body = ex.getRequestBody().readAllBytes();
    return new RecordedRequest(
        ex.getRequestMethod(), uri.getRawPath(), rawQuery, query, headers, body);
  }

  private Reply route(RecordedRequest r) {
    String p = r.rawPath();
    // Datadog's v1 query and Prometheus' instant query share the path: Datadog's has from/to
    if (p.equals("/api/v1/query") && r.method().equals("GET") && r.query().containsKey("from")) {
      return datadogV1(r);
    }
    if (p.equals("/api/v2/query/scalar")) {
      return datadogV2(r);
    }
    if (p.equals(NERDGRAPH_PATH)) {
      return nerdGraph(r);
    }
    if (p.equals("/api/v2/chart/api")) {
      return wavefront(r);
    }
    if (p.equals("/render")) {
      return graphite(r);
    }
    if (p.equals("/api/v2/query")) {
      return influx(r);
    }
    if (p.equals("/canaryConfig") || p.startsWith("/canary/")) {
      return kayenta(r);
    }
    if (p.equals("/graphql")) {
      return skyWalking(r);
    }
    if (p.equals("/api/v1/query") || p.equals(AMP_PREFIX + "/api/v1/query")) {
      return prometheus(r);
    }
    if (p.equals(TOKEN_PATH)) {
      return token(r);
    }
    if (p.equals("/service/GraniteServiceVersion20100801/operation/GetMetricData")) {
      return cloudWatch(r);
    }
    throw new Violation("no API of this server has the path " + p);
  }

  static void require(boolean ok, String what) {
    if (!ok) {
      throw new Violation(what);
    }
  }

  private static JsonNode body(RecordedRequest r) {
    try {
      return JSON.readTree(r.bodyText());
    } catch (RuntimeException e) {
      throw new Violation("the body is not JSON");
    }
  }

  private static long number(String s, String what) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new Violation(what + " must be an integer, but was '" + s + "'");
    }
  }

  // ------------------------------------------------------------------ Datadog

  private static Reply datadogAuth(RecordedRequest r) {
    if (!r.header("dd-api-key").equals(DATADOG_API_KEY)
        || !r.header("dd-application-key").equals(DATADOG_APP_KEY)) {
      ObjectNode out = F.objectNode();
      out.putArray("errors").add("Forbidden");
      return Reply.json(403, out);
    }
    return null;
  }

  private Reply datadogV1(RecordedRequest r) {
    Reply denied = datadogAuth(r);
    if (denied != null) {
      return denied;
    }
    long from = number(r.param("from"), "from");
    long to = number(r.param("to"), "to");
    require(from < to, "from must be before to");
    require(!r.param("query").isBlank(), "query is required");
    Answer a = datadog().next();
    ObjectNode out = F.objectNode();
    if (a instanceof Answer.Failure f) {
      out.putArray("errors").add(f.message());
      return Reply.json(f.status(), out);
    }
    if (a instanceof Answer.Throttled) {
      out.putArray("errors").add("Rate limit exceeded");
      return Reply.json(429, out);
    }
    out.put("status", "ok");
    out.put("query", r.param("query"));
    ArrayNode series = out.putArray("series");
    if (a instanceof Answer.Values v) {
      ObjectNode s = series.addObject();
      ArrayNode points = s.putArray("pointlist");
      double[] values = v.values();
      for (int i = 0; i < values.length; i++) {
        points.addArray().add((to - (values.length - 1 - i) * 60L) * 1000.0).add(values[i]);
      }
    }
    return Reply.json(200, out);
  }

  private Reply datadogV2(RecordedRequest r) {
    require(r.method().equals("POST"), "the scalar query API takes POST");
    Reply denied = datadogAuth(r);
    if (denied != null) {
      return denied;
    }
    require(r.header("content-type").startsWith("application/json"), "Content-Type must be JSON");
    JsonNode data = body(r).path("data");
    require(
        data.path("type").asString("").equals("scalar_request"),
        "data.type must be scalar_request");
    JsonNode attrs = data.path("attributes");
    require(
        attrs.path("from").isIntegralNumber() && attrs.path("to").isIntegralNumber(),
        "attributes.from and .to must be integers (ms)");
    require(attrs.path("from").asLong() < attrs.path("to").asLong(), "from must be before to");
    require(attrs.path("to").asLong() > 100_000_000_000L, "from and to are milliseconds");
    JsonNode queries = attrs.path("queries");
    require(queries.isArray() && !queries.isEmpty(), "attributes.queries must list queries");
    List<String> aggregators =
        List.of("avg", "min", "max", "sum", "last", "percentile", "mean", "l2norm", "area");
    for (JsonNode q : queries.values()) {
      require(q.path("data_source").asString("").equals("metrics"), "data_source must be metrics");
      require(!q.path("name").asString("").isEmpty(), "every query needs a name");
      require(!q.path("query").asString("").isEmpty(), "every query needs a query");
      require(
          aggregators.contains(q.path("aggregator").asString("")),
          "aggregator must be one of " + aggregators);
    }
    require(attrs.path("formulas").isArray(), "attributes.formulas must be a list");
    for (JsonNode f : attrs.path("formulas").values()) {
      require(!f.path("formula").asString("").isEmpty(), "every formula needs a formula");
    }
    require(
        queries.size() == 1 || attrs.path("formulas").size() == 1,
        "several queries need a formula");
    Answer a = datadog().next();
    ObjectNode out = F.objectNode();
    if (a instanceof Answer.Failure f) {
      out.putArray("errors").add(f.message());
      return Reply.json(f.status(), out);
    }
    if (a instanceof Answer.Throttled) {
      out.putArray("errors").add("Rate limit exceeded");
      return Reply.json(429, out);
    }
    ObjectNode d = out.putObject("data");
    d.put("type", "scalar_response");
    ArrayNode columns = d.putObject("attributes").putArray("columns");
    if (a instanceof Answer.Values v) {
      ObjectNode c = columns.addObject();
      c.put(
          "name",
          attrs.path("formulas").isEmpty() ? queries.get(0).path("name").asString() : "formula");
      c.put("type", "number");
      ArrayNode values = c.putArray("values");
      for (double x : v.values()) {
        values.add(x);
      }
    }
    return Reply.json(200, out);
  }

  // ------------------------------------------------------------------ New Relic

  private Reply nerdGraph(RecordedRequest r) {
    require(r.method().equals("POST"), "NerdGraph takes POST");
    if (!r.header("api-key").equals(NEWRELIC_API_KEY)) {
      ObjectNode out = F.objectNode();
      out.putArray("errors").addObject().put("message", "Invalid API key");
      return Reply.json(401, out);
    }
    require(r.header("content-type").startsWith("application/json"), "Content-Type must be JSON");
    JsonNode b = body(r);
    String query = b.path("query").asString("");
    require(
        query.contains("actor")
            && query.contains("account(id: $accountId)")
            && query.contains("nrql(query: $query"),
        "the GraphQL query must select actor.account.nrql");
    require(
        b.path("variables").path("accountId").asLong(-1) == NEWRELIC_ACCOUNT_ID,
        "variables.accountId must be " + NEWRELIC_ACCOUNT_ID);
    require(
        !b.path("variables").path("query").asString("").isBlank(), "variables.query is required");
    Answer a = newRelic().next();
    ObjectNode out = F.objectNode();
    if (a instanceof Answer.Throttled) {
      return Reply.text(429, "text/plain", "Too Many Requests");
    }
    if (a instanceof Answer.Failure f) {
      out.putArray("errors").addObject().put("message", f.message());
      return Reply.json(f.status() == 200 ? 200 : f.status(), out);
    }
    ArrayNode results =
        out.putObject("data")
            .putObject("actor")
            .putObject("account")
            .putObject("nrql")
            .putArray("results");
    if (a instanceof Answer.Values v) {
      for (double x : v.values()) {
        results.addObject().put("value", x);
      }
    }
    return Reply.json(200, out);
  }

  // ------------------------------------------------------------------ Wavefront

  private Reply wavefront(RecordedRequest r) {
    require(r.method().equals("GET"), "the chart API takes GET");
    if (!r.header("authorization").equals("Bearer " + WAVEFRONT_TOKEN)) {
      return Reply.text(401, "text/plain", "Unauthorized");
    }
    require(!r.param("q").isBlank(), "q is required");
    long s = number(r.param("s"), "s");
    require(s > 100_000_000_000L, "s is epoch milliseconds");
    require(r.param("g").equals("s"), "g must be s");
    require(r.param("p").equals("1"), "p must be 1");
    Answer a = wavefront().next();
    ObjectNode out = F.objectNode();
    if (a instanceof Answer.Throttled) {
      return Reply.text(429, "text/plain", "Too Many Requests");
    }
    if (a instanceof Answer.Failure f) {
      ObjectNode status = out.putObject("status");
      status.put("result", "ERROR");
      status.put("message", f.message());
      status.put("code", f.status());
      return Reply.json(f.status(), out);
    }
    out.put("name", r.param("q"));
    out.put("query", r.param("q"));
    ArrayNode series = out.putArray("timeseries");
    if (a instanceof Answer.Values v) {
      int i = 0;
      for (double x : v.values()) {
        ObjectNode t = series.addObject();
        t.put("label", "series-" + i++);
        t.putArray("data").addArray().add(s / 1000).add(x);
      }
    }
    return Reply.json(200, out);
  }

  // ------------------------------------------------------------------ Graphite

  private Reply graphite(RecordedRequest r) {
    require(r.method().equals("GET"), "render takes GET");
    require(r.param("format").equals("json"), "format must be json");
    require(!r.param("target").isBlank(), "target is required");
    Answer a = graphite().next();
    if (a instanceof Answer.Throttled) {
      return Reply.text(429, "text/plain", "Too Many Requests");
    }
    if (a instanceof Answer.Failure f) {
      return Reply.text(f.status(), "text/plain", f.message());
    }
    ArrayNode out = F.arrayNode();
    if (a instanceof Answer.Values v) {
      ObjectNode t = out.addObject();
      t.put("target", r.param("target"));
      ArrayNode points = t.putArray("datapoints");
      long ts = 1_700_000_000L;
      for (double x : v.values()) {
        points.addArray().add(x).add(ts);
        ts += 60;
      }
      points.addArray().addNull().add(ts);
    }
    return Reply.json(200, out);
  }

  // ------------------------------------------------------------------ InfluxDB

  private Reply influx(RecordedRequest r) {
    require(r.method().equals("POST"), "the query API takes POST");
    if (!r.header("authorization").equals("Token " + INFLUX_TOKEN)) {
      ObjectNode out = F.objectNode();
      out.put("code", "unauthorized");
      out.put("message", "unauthorized access");
      return Reply.json(401, out);
    }
    require(r.param("org").equals(INFLUX_ORG), "org must be " + INFLUX_ORG);
    require(r.header("content-type").startsWith("application/json"), "Content-Type must be JSON");
    JsonNode b = body(r);
    require(!b.path("query").asString("").isBlank(), "query is required");
    require(b.path("type").asString("flux").equals("flux"), "type must be flux");
    require(
        b.path("dialect").path("annotations").toString().contains("datatype"),
        "the dialect must ask for the datatype annotation");
    Answer a = influxDb().next();
    if (a instanceof Answer.Throttled) {
      ObjectNode out = F.objectNode();
      out.put("code", "too many requests");
      out.put("message", "query rate limited");
      return Reply.json(429, out);
    }
    if (a instanceof Answer.Failure f) {
      ObjectNode out = F.objectNode();
      out.put("code", "invalid");
      out.put("message", f.message());
      return Reply.json(f.status(), out);
    }
    StringBuilder csv = new StringBuilder();
    if (a instanceof Answer.Values v) {
      csv.append("#datatype,string,long,dateTime:RFC3339,double,string,string\r\n");
      csv.append("#group,false,false,false,false,true,true\r\n");
      csv.append("#default,_result,,,,,\r\n");
      csv.append(",result,table,_time,_value,_field,_measurement\r\n");
      int i = 0;
      for (double x : v.values()) {
        csv.append(",,0,2026-03-01T10:0")
            .append(i++)
            .append(":00Z,")
            .append(x)
            .append(",rate,\"http, requests\"\r\n");
      }
      csv.append("\r\n");
    }
    return Reply.text(200, "text/csv; charset=utf-8", csv.toString());
  }

  // ------------------------------------------------------------------ Kayenta

  private Reply kayenta(RecordedRequest r) {
    String p = r.rawPath();
    if (p.equals("/canaryConfig")) {
      require(r.method().equals("GET"), "canaryConfig takes GET");
      require(!r.param("application").isBlank(), "application is required");
      require(
          !r.param("configurationAccountName").isBlank(), "configurationAccountName is required");
      ArrayNode out = F.arrayNode();
      ObjectNode other = out.addObject();
      other.put("id", "cfg-other");
      other.put("name", "another-config");
      ObjectNode c = out.addObject();
      c.put("id", KAYENTA_CONFIG_ID);
      c.put("name", KAYENTA_CONFIG);
      c.putArray("applications").add(r.param("application"));
      return Reply.json(200, out);
    }
    if (r.method().equals("POST")) {
      require(p.equals("/canary/" + KAYENTA_CONFIG_ID), "POST /canary/<configId> with a known id");
      for (String q :
          List.of(
              "application",
              "metricsAccountName",
              "configurationAccountName",
              "storageAccountName")) {
        require(!r.param(q).isBlank(), q + " is required");
      }
      JsonNode b = body(r);
      require(b.path("scopes").isObject() && !b.path("scopes").isEmpty(), "scopes are required");
      for (var e : b.path("scopes").properties()) {
        for (String side : List.of("controlScope", "experimentScope")) {
          JsonNode s = e.getValue().path(side);
          for (String f : List.of("scope", "region", "step", "start", "end")) {
            require(s.has(f), "scopes." + e.getKey() + "." + side + "." + f + " is required");
          }
        }
      }
      require(
          b.path("thresholds").path("pass").isInt()
              && b.path("thresholds").path("marginal").isInt(),
          "thresholds.pass and .marginal must be integers");
      Answer a = kayenta().next();
      if (a instanceof Answer.Failure f) {
        ObjectNode out = F.objectNode();
        out.put("error", "Bad Request");
        out.put("message", f.message());
        return Reply.json(f.status(), out);
      }
      if (a instanceof Answer.Throttled) {
        return Reply.text(429, "text/plain", "Too Many Requests");
      }
      String id = "exec-" + executions.incrementAndGet();
      executionAnswers.put(id, a);
      return Reply.json(200, F.objectNode().put("canaryExecutionId", id));
    }
    require(r.method().equals("GET"), "GET /canary/<executionId>");
    String id = p.substring("/canary/".length());
    Answer a = executionAnswers.get(id);
    if (a == null) {
      ObjectNode out = F.objectNode();
      out.put("message", "Unable to find execution " + id);
      return Reply.json(404, out);
    }
    int polls = executionPolls.merge(id, 1, Integer::sum);
    ObjectNode out = F.objectNode();
    out.put("application", "app");
    out.put("pipelineId", id);
    if (polls <= kayentaIncompletePolls) {
      out.put("complete", false);
      out.put("status", "running");
      return Reply.json(200, out);
    }
    out.put("complete", true);
    out.put("status", "succeeded");
    double score = a instanceof Answer.Values v && v.values().length > 0 ? v.values()[0] : 0;
    out.putObject("result").putObject("judgeResult").putObject("score").put("score", score);
    return Reply.json(200, out);
  }

  // ------------------------------------------------------------------ SkyWalking

  private Reply skyWalking(RecordedRequest r) {
    require(r.method().equals("POST"), "GraphQL takes POST");
    require(r.header("content-type").startsWith("application/json"), "Content-Type must be JSON");
    JsonNode b = body(r);
    require(!b.path("query").asString("").isBlank(), "query is required");
    JsonNode d = b.path("variables").path("duration");
    java.util.regex.Pattern minute = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{4}");
    require(
        minute.matcher(d.path("start").asString("")).matches()
            && minute.matcher(d.path("end").asString("")).matches(),
        "duration.start and .end must be yyyy-MM-dd HHmm");
    require(d.path("start").asString().compareTo(d.path("end").asString()) < 0, "start before end");
    require(d.path("step").asString("").equals("MINUTE"), "duration.step must be MINUTE");
    Answer a = skyWalking().next();
    ObjectNode out = F.objectNode();
    if (a instanceof Answer.Throttled) {
      return Reply.text(429, "text/plain", "Too Many Requests");
    }
    if (a instanceof Answer.Failure f) {
      out.putArray("errors").addObject().put("message", f.message());
      out.putNull("data");
      return Reply.json(f.status(), out);
    }
    if (a instanceof Answer.Empty) {
      out.putNull("data");
      return Reply.json(200, out);
    }
    ArrayNode values =
        out.putObject("data").putObject("result").putObject("values").putArray("values");
    for (double x : ((Answer.Values) a).values()) {
      values.addObject().put("id", "t" + values.size()).put("value", x);
    }
    return Reply.json(200, out);
  }

  // ------------------------------------------------------------------ Prometheus

  private Reply prometheus(RecordedRequest r) {
    String mode = prometheusAuth;
    if (mode.equals("sigv4")) {
      require(
          r.rawPath().startsWith(AMP_PREFIX), "Amazon Managed Prometheus is under " + AMP_PREFIX);
      var problem = sigv4.verify(r, AWS_REGION, "aps");
      if (problem.isPresent()) {
        ObjectNode out = F.objectNode().put("message", problem.get());
        return Reply.json(403, out);
      }
    } else if (mode.equals("bearer")) {
      String auth = r.header("authorization");
      if (!auth.startsWith("Bearer tok-")) {
        return Reply.text(401, "text/plain", "Unauthorized");
      }
    }
    String form = r.method().equals("POST") ? r.bodyText() : r.rawQuery();
    Map<String, String> params = new LinkedHashMap<>();
    for (String part : form.split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        params.put(
            URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    require(!params.getOrDefault("query", "").isBlank(), "query is required");
    Answer a = prometheus().next();
    ObjectNode out = F.objectNode();
    if (a instanceof Answer.Throttled) {
      out.put("status", "error");
      out.put("errorType", "too_many_requests");
      out.put("error", "too many requests");
      return Reply.json(429, out);
    }
    if (a instanceof Answer.Failure f) {
      out.put("status", "error");
      out.put("errorType", "bad_data");
      out.put("error", f.message());
      return Reply.json(f.status(), out);
    }
    out.put("status", "success");
    ObjectNode data = out.putObject("data");
    data.put("resultType", "vector");
    ArrayNode result = data.putArray("result");
    if (a instanceof Answer.Values v) {
      for (double x : v.values()) {
        ObjectNode s = result.addObject();
        s.putObject("metric").put("service", "trade-service");
        s.putArray("value").add(1_700_000_000).add(Double.toString(x));
      }
    }
    return Reply.json(200, out);
  }

  private Reply token(RecordedRequest r) {
    require(r.method().equals("POST"), "the token endpoint takes POST");
    require(
        r.header("content-type").startsWith("application/x-www-form-urlencoded"),
        "the token request is a form");
    Map<String, String> form = new LinkedHashMap<>();
    for (String part : r.bodyText().split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    require(
        form.getOrDefault("grant_type", "").equals("client_credentials"),
        "grant_type must be client_credentials");
    String id = form.getOrDefault("client_id", "");
    String secret = form.getOrDefault("client_secret", "");
    String basic = r.header("authorization");
    if (basic.startsWith("Basic ")) {
      String[] pair =
          new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8)
              .split(":", 2);
      id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
      secret = pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : "";
    }
    if (!id.equals(OAUTH_CLIENT_ID) || !secret.equals(OAUTH_CLIENT_SECRET)) {
      ObjectNode out = F.objectNode();
      out.put("error", "invalid_client");
      out.put("error_description", "client authentication failed");
      return Reply.json(401, out);
    }
    ObjectNode out = F.objectNode();
    out.put("access_token", "tok-" + tokens.incrementAndGet());
    out.put("token_type", "Bearer");
    out.put("expires_in", 3600);
    if (form.containsKey("scope")) {
      out.put("scope", form.get("scope"));
    }
    return Reply.json(200, out);
  }

  // ------------------------------------------------------------------ CloudWatch

  private static final CBORMapper CBOR = CBORMapper.builder().build();

  private Reply cloudWatch(RecordedRequest r) {
    require(r.method().equals("POST"), "GetMetricData takes POST");
    require(
        r.header("smithy-protocol").equals("rpc-v2-cbor"), "smithy-protocol must be rpc-v2-cbor");
    require(
        r.header("content-type").equals("application/cbor"),
        "Content-Type must be application/cbor");
    var problem = sigv4.verify(r, AWS_REGION, "monitoring");
    if (problem.isPresent()) {
      return cloudWatchError(403, "IncompleteSignature", problem.get());
    }
    JsonNode in;
    try {
      in = CBOR.readTree(r.body());
    } catch (RuntimeException e) {
      throw new Violation("the body is not CBOR");
    }
    require(
        in.path("StartTime").isNumber() && in.path("EndTime").isNumber(),
        "StartTime and EndTime are required timestamps");
    require(
        in.path("StartTime").asDouble() < in.path("EndTime").asDouble(),
        "StartTime must be before EndTime");
    JsonNode queries = in.path("MetricDataQueries");
    require(queries.isArray() && !queries.isEmpty(), "MetricDataQueries must list queries");
    for (JsonNode q : queries.values()) {
      require(!q.path("Id").asString("").isEmpty(), "every query needs an Id");
      require(q.has("Expression") != q.has("MetricStat"), "a query has Expression or MetricStat");
      if (q.has("MetricStat")) {
        JsonNode ms = q.path("MetricStat");
        require(
            !ms.path("Metric").path("MetricName").asString("").isEmpty(), "MetricName is required");
        require(ms.path("Period").isInt(), "MetricStat.Period is required");
        require(!ms.path("Stat").asString("").isEmpty(), "MetricStat.Stat is required");
      }
    }
    Answer a = cloudWatch().next();
    if (a instanceof Answer.Throttled) {
      return cloudWatchError(400, "Throttling", "Rate exceeded");
    }
    if (a instanceof Answer.Failure f) {
      return cloudWatchError(f.status(), "InvalidParameterValue", f.message());
    }
    double[] values = a instanceof Answer.Values v ? v.values() : new double[0];
    double end = in.path("EndTime").asDouble();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = (CBORGenerator) CBOR.createGenerator(out)) {
      g.writeStartObject();
      g.writeName("MetricDataResults");
      g.writeStartArray();
      for (JsonNode q : queries.values()) {
        if (q.has("ReturnData") && !q.path("ReturnData").asBoolean()) {
          continue;
        }
        g.writeStartObject();
        g.writeStringProperty("Id", q.path("Id").asString());
        g.writeStringProperty("Label", q.path("Label").asString(q.path("Id").asString()));
        g.writeName("Timestamps");
        g.writeStartArray();
        for (int i = 0; i < values.length; i++) {
          g.writeTag(1);
          g.writeNumber(end - 60.0 * i);
        }
        g.writeEndArray();
        g.writeName("Values");
        g.writeStartArray();
        for (double x : values) {
          g.writeNumber(x);
        }
        g.writeEndArray();
        g.writeStringProperty("StatusCode", "Complete");
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeName("Messages");
      g.writeStartArray();
      g.writeEndArray();
      g.writeEndObject();
    }
    return new Reply(
        200, "application/cbor", out.toByteArray(), Map.of("smithy-protocol", "rpc-v2-cbor"));
  }

  private static Reply cloudWatchError(int status, String code, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = (CBORGenerator) CBOR.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringProperty("__type", "com.amazonaws.cloudwatch#" + code);
      g.writeStringProperty("message", message);
      g.writeEndObject();
    }
    return new Reply(
        status,
        "application/cbor",
        out.toByteArray(),
        Map.of("smithy-protocol", "rpc-v2-cbor", "x-amzn-query-error", code + ";Sender"));
  }
}
