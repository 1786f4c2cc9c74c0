package io.glidepath.health.lua.internal;

import io.glidepath.core.health.Health;
import io.glidepath.core.health.HealthCheck;
import io.glidepath.core.health.HealthScript;
import io.glidepath.core.health.HealthScriptException;
import io.glidepath.core.health.HealthStatus;
import io.glidepath.core.resource.Resource;
import java.util.Optional;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;

/**
 * One compiled health script, run in the calling thread's sandbox: {@code obj} is the live object,
 * the script returns a table whose {@code status} is one of Argo CD's health words and whose {@code
 * message} (optional) says why. A script that fails, is stopped by the sandbox, returns no table or
 * an unknown status throws a {@link HealthScriptException} naming its key; the assessor reports
 * that as Unknown, as Argo CD does.
 */
final class LuaHealthCheck implements HealthCheck {
  private final HealthScript script;
  private final Prototype prototype;
  private final SandboxPool pool;

  LuaHealthCheck(HealthScript script, Prototype prototype, SandboxPool pool) {
    this.script = script;
    this.prototype = prototype;
    this.pool = pool;
  }

  @Override
  public Health check(Resource live) {
    Sandbox sandbox = pool.get(script.useOpenLibs());
    sandbox.budget.start();
    try {
      sandbox.globals.rawset("obj", LuaJson.toLua(live.body()));
      Varargs result = new LuaClosure(prototype, sandbox.globals).invoke(LuaValue.NONE);
      return health(result.arg1());
    } catch (ScriptStopped e) {
      throw fail("stopped by the sandbox: " + e.getMessage(), null);
    } catch (StackOverflowError e) {
      throw fail("stopped by the sandbox: stack overflow", null);
    } catch (LuaError e) {
      throw fail("Lua error: " + e.getMessage(), null);
    } finally {
      sandbox.restore();
    }
  }

  private Health health(LuaValue table) {
    if (!table.istable()) {
      throw fail("expect table output from Lua script, not " + table.typename(), null);
    }
    LuaValue status = table.rawget("status");
    if (!status.isstring() || status.isnumber()) {
      throw fail("Lua returned an invalid health status " + describe(status), null);
    }
    Optional<HealthStatus> s = HealthStatus.parse(status.tojstring());
    if (s.isEmpty()) {
      throw fail("Lua returned an invalid health status " + describe(status), null);
    }
    LuaValue message = table.rawget("message");
    if (!message.isnil() && !message.isstring()) {
      throw fail("Lua returned a message that is a " + message.typename() + ", not a string", null);
    }
    return Health.of(s.get(), message.isnil() ? "" : message.tojstring());
  }

  private static String describe(LuaValue v) {
    return v.isstring() ? "\"" + v.tojstring() + "\"" : "(" + v.typename() + ")";
  }

  private HealthScriptException fail(String problem, Throwable cause) {
    return new HealthScriptException(script.key(), script.origin(), problem, cause);
  }
}
