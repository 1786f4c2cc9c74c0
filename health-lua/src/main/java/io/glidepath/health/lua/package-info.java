/**
 * Argo CD's Lua health checks on LuaJ: {@link io.glidepath.health.lua.LuaHealthScriptEngine}, found
 * by {@link io.glidepath.core.health.HealthAssessor} through {@link java.util.ServiceLoader}.
 * Implementation lives in {@code io.glidepath.health.lua.internal}, which is not API.
 *
 * <p>Everything here is non-null.
 */
package io.glidepath.health.lua;
