package io.glidepath.health.lua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glidepath.core.Origin;
import io.glidepath.core.argocd.ArgoCdSettings;
import io.glidepath.core.health.CheckOrigin;
import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthAssessor;
import io.glidepath.core.health.HealthScript;
import io.glidepath.core.health.HealthScriptException;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import io.glidepath.core.yaml.Yaml;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LuaHealthScriptEngineTest {
  private static final Resource WIDGET =
      Yaml.readResources(
              """
              apiVersion: example.com/v1
              kind: Widget
              metadata: {name: w1, namespace: shop, generation: 3}
              spec: {replicas: 2, paused: false, note: null}
              status:
                observedGeneration: 3
                phase: Running
                conditions:
                - {type: Ready, status: "True", message: all good}
                - {type: Synced, status: "False", message: drifted}
              """,
              "widget.yaml")
          .get(0);

  private static HealthScript script(String source) {
    return script(source, false);
  }

  private static HealthScript script(String source, boolean openLibs) {
    return new HealthScript(
        "resource.customizations.health.example.com_Widget",
        "example.com",
        "Widget",
        source,
        openLibs,
        Origin.of("argocd-cm.yaml"));
  }

  private static Optional<Health> run(String source) {
    return run(script(source), new LuaHealthScriptEngine());
  }

  private static Optional<Health> run(HealthScript s, LuaHealthScriptEngine engine) {
    return HealthAssessor.builder().script(s).scriptEngine(engine).build().assess(WIDGET);
  }

  @Test
  void theScriptReadsObjAndReturnsStatusAndMessage() {
    assertThat(
            run(
                """
                hs = {}
                for _, c in ipairs(obj.status.conditions) do
                  if c.type == "Ready" and c.status == "True" then
                    hs.status = "Healthy"; hs.message = c.message; return hs
                  end
                end
                hs.status = "Progressing"
                return hs
                """))
        .contains(Health.of(HealthStatus.HEALTHY, "all good"));
  }

  @Test
  void numbersAreLuaNumbersAndNullsAreNil() {
    assertThat(
            run(
                """
                local ok = obj.metadata.generation == 3 and obj.spec.replicas + 1 == 3
                  and obj.spec.note == nil and obj.spec.paused == false
                  and tostring(obj.status.observedGeneration) == "3"
                  and #obj.status.conditions == 2
                return {status = ok and "Healthy" or "Degraded", message = type(obj.spec.replicas)}
                """))
        .contains(Health.of(HealthStatus.HEALTHY, "number"));
  }

  @Test
  void lua51NamesArgoScriptsUseAreThere() {
    assertThat(
            run(
                """
                local n = table.getn(obj.status.conditions)
                local a, b = unpack({1, 2})
                local f = loadstring("return 40 + 2")
                return {status = "Healthy", message = n .. a .. b .. f() .. tostring(tonumber(nil))}
                """))
        .contains(Health.of(HealthStatus.HEALTHY, "21242nil"));
  }

  @Test
  void theJsonModuleIsPreloaded() {
    assertThat(
            run(
                """
                local json = require("json")
                local c = json.decode('[{"type":"AbleToScale","status":"True"}]')
                return {status = "Healthy", message = c[1].type .. " " .. json.encode({a = 1})}
                """))
        .contains(Health.of(HealthStatus.HEALTHY, "AbleToScale {\"a\":1}"));
  }

  @Test
  void stringAndMathNeedUseOpenLibsAsInArgoCd() {
    String source =
        "return {status = 'Healthy', message = string.format('%d%%', math.floor(99.5))}";
    assertThat(run(source).orElseThrow().status()).isEqualTo(HealthStatus.UNKNOWN);
    assertThat(run(script(source, true), new LuaHealthScriptEngine()))
        .contains(Health.of(HealthStatus.HEALTHY, "99%"));
    // os: the safe part only, with or without useOpenLibs
    assertThat(run("return {status = 'Healthy', message = type(os.time()) .. type(os.execute)}"))
        .contains(Health.of(HealthStatus.HEALTHY, "numbernil"));
  }

  @Test
  void closedLibrariesAreAbsent() {
    for (String call :
        new String[] {
          "io.open('/etc/passwd')",
          "os.execute('true')",
          "debug.getinfo(1)",
          "dofile('/etc/passwd')",
          "require('io')",
          "luajava.bindClass('java.lang.System')",
          "coroutine.create(print)"
        }) {
      Health h = run(call + "\nreturn {status = 'Healthy'}").orElseThrow();
      assertThat(h.status()).as(call).isEqualTo(HealthStatus.UNKNOWN);
      assertThat(h.message()).as(call).contains("example.com_Widget");
    }
  }

  @Test
  void anEndlessLoopIsStoppedAndTheCallerCarriesOn() {
    LuaHealthScriptEngine engine =
        LuaHealthScriptEngine.builder().instructionLimit(100_000).build();
    Health h = run(script("while true do end"), engine).orElseThrow();
    assertThat(h.status()).isEqualTo(HealthStatus.UNKNOWN);
    assertThat(h.message()).contains("instruction budget of 100000 exceeded");
    // pcall cannot swallow the stop
    Health p =
        run(script("pcall(function() while true do end end) return {status='Healthy'}"), engine)
            .orElseThrow();
    assertThat(p.message()).contains("instruction budget");
    assertThat(run(script("return {status = 'Healthy'}"), engine)).contains(Health.healthy());
  }

  @Test
  void endlessRecursionIsStopped() {
    Health h = run("local function f(n) return f(n + 1) + 1 end\nreturn f(1)").orElseThrow();
    assertThat(h.status()).isEqualTo(HealthStatus.UNKNOWN);
    assertThat(h.message()).contains("call depth limit of 200 exceeded");
  }

  @Test
  void allocatingWithoutBoundIsStopped() {
    org.junit.jupiter.api.Assumptions.assumeTrue(LuaHealthScriptEngine.enforcesMemoryLimit());
    LuaHealthScriptEngine engine =
        LuaHealthScriptEngine.builder().memoryLimitBytes(8L * 1024 * 1024).build();
    Health grow =
        run(
                script(
                    "local t = {} local s = 'x' while true do s = s .. s t[#t + 1] = s end", true),
                engine)
            .orElseThrow();
    assertThat(grow.message()).contains("memory budget of 8388608 bytes exceeded");
    Health rep =
        run(script("local s = string.rep('x', 1000000000) return {status='Healthy'}", true), engine)
            .orElseThrow();
    assertThat(rep.message()).contains("memory budget");
  }

  @Test
  void aSlowScriptIsStoppedByTheTimeLimit() {
    AtomicLong now = new AtomicLong();
    LuaHealthScriptEngine engine =
        LuaHealthScriptEngine.builder()
            .timeLimit(Duration.ofMillis(10))
            .nanoTime(() -> now.addAndGet(1_000_000))
            .build();
    Health h =
        run(script("local i = 0 while i < 1e7 do i = i + 1 end return {status='Healthy'}"), engine)
            .orElseThrow();
    assertThat(h.message()).contains("time budget of 10 ms exceeded");
  }

  @Test
  void aSyntaxErrorIsATypedErrorNamingTheKeyWhenLoading() {
    assertThatThrownBy(() -> HealthAssessor.builder().script(script("hs = {")).build())
        .isInstanceOfSatisfying(
            HealthScriptException.class,
            e -> {
              assertThat(e.key()).isEqualTo("resource.customizations.health.example.com_Widget");
              assertThat(e.getMessage()).contains("Lua syntax error").contains("argocd-cm.yaml");
            });
  }

  @Test
  void noTableOrAWrongStatusWordIsUnknownNamingTheKey() {
    Health none = run("hs = {}").orElseThrow();
    assertThat(none.status()).isEqualTo(HealthStatus.UNKNOWN);
    assertThat(none.message())
        .contains("example.com_Widget")
        .contains("expect table output from Lua script, not nil");
    Health word = run("return {status = 'Fine'}").orElseThrow();
    assertThat(word.message()).contains("Lua returned an invalid health status \"Fine\"");
    Health lower = run("return {status = 'healthy'}").orElseThrow();
    assertThat(lower.status()).isEqualTo(HealthStatus.UNKNOWN);
  }

  @Test
  void globalsAScriptLeavesBehindAreGoneForTheNextRun() {
    HealthAssessor assessor =
        HealthAssessor.builder()
            .script(
                script(
                    """
                    count = (count or 0) + 1
                    table.insert = nil
                    setmetatable(_G, {__index = function() return 'leak' end})
                    return {status = 'Healthy', message = tostring(count) .. tostring(undefinedThing)}
                    """))
            .build();
    assertThat(assessor.assess(WIDGET)).contains(Health.of(HealthStatus.HEALTHY, "1leak"));
    assertThat(assessor.assess(WIDGET)).contains(Health.of(HealthStatus.HEALTHY, "1leak"));
    assertThat(run("table.insert({}, 1) return {status = 'Healthy'}")).contains(Health.healthy());
  }

  @Test
  void theSharedStringMetatableCannotBeChanged() {
    Health h = run("getmetatable('').__index = {} return {status='Healthy'}").orElseThrow();
    assertThat(h.status()).isEqualTo(HealthStatus.UNKNOWN);
    assertThat(run("return {status = 'Healthy', message = ('ab'):upper()}"))
        .contains(Health.of(HealthStatus.HEALTHY, "AB"));
  }

  @Test
  void anArgoCdConfigMapConfiguresScriptsWithWildcardsAndPrecedence() {
    Resource cm =
        Yaml.readResources(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: argocd-cm, namespace: argocd}
                data:
                  resource.customizations.health.example.com_Widget: |
                    return {status = "Suspended", message = "exact"}
                  resource.customizations.health.*.example.com_*: |
                    return {status = "Degraded", message = "wildcard"}
                  resource.customizations.health.apps_Deployment: |
                    return {status = "Healthy", message = "replaces the built-in"}
                  resource.customizations.useOpenLibs.example.com_Widget: "true"
                  resource.customizations: |
                    shop.example.com/Basket:
                      health.lua: |
                        return {status = "Progressing", message = "nested " .. string.upper("form")}
                      health.lua.useOpenLibs: true
                """,
                "argocd-cm.yaml")
            .get(0);
    HealthAssessor assessor =
        HealthAssessor.builder().argoCdSettings(ArgoCdSettings.of(cm)).build();
    assertThat(assessor.assess(WIDGET)).contains(Health.of(HealthStatus.SUSPENDED, "exact"));
    Resource gadget =
        WIDGET.edit(b -> b.put("apiVersion", "eu.example.com/v1").put("kind", "Gadget"));
    assertThat(assessor.assess(gadget)).contains(Health.of(HealthStatus.DEGRADED, "wildcard"));
    assertThat(assessor.explain(gadget).origin())
        .isEqualTo(
            new CheckOrigin(
                CheckOrigin.Type.LUA, "resource.customizations.health.*.example.com_*"));
    Resource basket =
        WIDGET.edit(b -> b.put("apiVersion", "shop.example.com/v1").put("kind", "Basket"));
    // the nested key is more specific than the wildcard: exact keys win
    assertThat(assessor.assess(basket))
        .contains(Health.of(HealthStatus.PROGRESSING, "nested FORM"));
    Resource deployment =
        Yaml.readResources(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {paused: true}\n",
                "d.yaml")
            .get(0);
    assertThat(assessor.assess(deployment))
        .contains(Health.of(HealthStatus.HEALTHY, "replaces the built-in"));
  }

  @Test
  void argoCdConfigMapScriptsRunForTerminatingObjects() {
    Resource cm =
        Yaml.readResources(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: argocd-cm, namespace: argocd}
                data:
                  resource.customizations.health.example.com_Widget: |
                    if obj.metadata.deletionTimestamp ~= nil then
                      local names = {}
                      for _, f in ipairs(obj.metadata.finalizers or {}) do
                        if f == "example.com/drain" then
                          table.insert(names, "draining connections")
                        end
                      end
                      return {status = "Progressing", message = "Deleting: " .. table.concat(names, ", ")}
                    end
                    return {status = "Healthy", message = "serving"}
                  resource.customizations.health.example.com_Gadget: |
                    return {status = "Healthy", message = "serving"}
                  resource.customizations.health.example.com_Broken: |
                    return {status = "Progressing", message = obj.metadata.finalizers[5].name}
                """,
                "argocd-cm.yaml")
            .get(0);
    HealthAssessor assessor =
        HealthAssessor.builder().argoCdSettings(ArgoCdSettings.of(cm)).build();
    Resource deleting =
        WIDGET.edit(
            b -> {
              var meta = (tools.jackson.databind.node.ObjectNode) b.path("metadata");
              meta.put("deletionTimestamp", "2026-03-01T10:00:00Z");
              meta.putArray("finalizers").add("example.com/drain");
            });
    assertThat(assessor.assess(deleting))
        .contains(Health.of(HealthStatus.PROGRESSING, "Deleting: draining connections"));
    assertThat(assessor.assess(WIDGET)).contains(Health.of(HealthStatus.HEALTHY, "serving"));
    // a script without a deletion branch: Progressing "Pending deletion", as before
    Resource gadget = deleting.edit(b -> b.put("kind", "Gadget"));
    assertThat(assessor.assess(gadget))
        .contains(Health.of(HealthStatus.PROGRESSING, "Pending deletion"));
    assertThat(assessor.explain(gadget).origin().name())
        .isEqualTo("resource.customizations.health.example.com_Gadget");
    // a script that fails on the terminating object is Unknown naming its key
    Health broken = assessor.assess(deleting.edit(b -> b.put("kind", "Broken"))).orElseThrow();
    assertThat(broken.status()).isEqualTo(HealthStatus.UNKNOWN);
    assertThat(broken.message()).contains("example.com_Broken");
  }

  @Test
  void theEngineIsFoundThroughServiceLoader() {
    HealthAssessor assessor =
        HealthAssessor.builder()
            .script(script("return {status='Healthy', message='found'}"))
            .build();
    assertThat(assessor.assess(WIDGET)).contains(Health.of(HealthStatus.HEALTHY, "found"));
  }

  @Test
  void manyThreadsRunTheSameScriptWithoutInterference() throws Exception {
    HealthAssessor assessor =
        HealthAssessor.builder()
            .script(script("x = obj.metadata.name return {status='Healthy', message=x}"))
            .build();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
      for (int i = 0; i < 200; i++) {
        String name = "w" + i;
        Resource r = WIDGET.edit(b -> b.withObjectProperty("metadata").put("name", name));
        futures.add(pool.submit(() -> assessor.assess(r).orElseThrow().message().equals(name)));
      }
      for (var f : futures) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
