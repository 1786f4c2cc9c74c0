package io.glidepath.health.lua.internal;

import java.util.function.Supplier;

/** A sandbox per thread and per library set, created on first use and reused. */
final class SandboxPool {
  private final ThreadLocal<Sandbox> safe;
  private final ThreadLocal<Sandbox> open;

  SandboxPool(Supplier<Budget> budgets) {
    this.safe = ThreadLocal.withInitial(() -> new Sandbox(false, budgets.get()));
    this.open = ThreadLocal.withInitial(() -> new Sandbox(true, budgets.get()));
  }

  Sandbox get(boolean openLibs) {
    return openLibs ? open.get() : safe.get();
  }
}
