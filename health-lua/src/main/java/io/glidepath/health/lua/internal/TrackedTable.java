package io.glidepath.health.lua.internal;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A library table ({@code string}, {@code table}, {@code math}, {@code os}) that knows whether a
 * script changed it, so that a run that did not (nearly every run) costs nothing to undo.
 */
final class TrackedTable extends LuaTable {
  private boolean dirty;

  static TrackedTable copyOf(LuaTable source) {
    TrackedTable t = new TrackedTable();
    for (Varargs kv = source.next(LuaValue.NIL); !kv.arg1().isnil(); kv = source.next(kv.arg1())) {
      t.rawset(kv.arg1(), kv.arg(2));
    }
    t.dirty = false;
    return t;
  }

  boolean dirty() {
    return dirty;
  }

  void clean() {
    dirty = false;
  }

  @Override
  public void rawset(LuaValue key, LuaValue value) {
    dirty = true;
    super.rawset(key, value);
  }

  @Override
  public void rawset(int key, LuaValue value) {
    dirty = true;
    super.rawset(key, value);
  }

  @Override
  public void hashset(LuaValue key, LuaValue value) {
    dirty = true;
    super.hashset(key, value);
  }

  @Override
  public LuaValue setmetatable(LuaValue metatable) {
    dirty = true;
    return super.setmetatable(metatable);
  }
}
