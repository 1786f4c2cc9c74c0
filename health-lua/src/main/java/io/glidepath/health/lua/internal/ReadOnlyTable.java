package io.glidepath.health.lua.internal;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** A Lua table that refuses changes: for what several scripts share. */
final class ReadOnlyTable extends LuaTable {
  private boolean frozen;

  private ReadOnlyTable() {}

  static ReadOnlyTable of(LuaValue key, LuaValue value) {
    ReadOnlyTable t = new ReadOnlyTable();
    t.rawset(key, value);
    t.frozen = true;
    return t;
  }

  static ReadOnlyTable copyOf(LuaTable source, String... without) {
    ReadOnlyTable t = new ReadOnlyTable();
    for (Varargs kv = source.next(LuaValue.NIL); !kv.arg1().isnil(); kv = source.next(kv.arg1())) {
      t.rawset(kv.arg1(), kv.arg(2));
    }
    for (String w : without) {
      t.rawset(LuaValue.valueOf(w), LuaValue.NIL);
    }
    t.frozen = true;
    return t;
  }

  @Override
  public void rawset(LuaValue key, LuaValue value) {
    check();
    super.rawset(key, value);
  }

  @Override
  public void rawset(int key, LuaValue value) {
    check();
    super.rawset(key, value);
  }

  @Override
  public LuaValue setmetatable(LuaValue metatable) {
    check();
    return super.setmetatable(metatable);
  }

  private void check() {
    if (frozen) {
      throw new LuaError("attempt to change a shared read-only table");
    }
  }
}
