package io.glidepath.health.lua.internal;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import tools.jackson.databind.JsonNode;

/**
 * A Lua table of a JSON map or list, filled on first use: a script reads a few fields of {@code
 * obj} ({@code status.conditions}, {@code spec.replicas}), so {@code metadata.managedFields} and
 * the rest are never converted. Every way of reading or changing the table fills it first, so a
 * script sees exactly the table an eager conversion would give.
 */
final class LazyTable extends LuaTable {
  private JsonNode source;

  LazyTable(JsonNode source) {
    super(source.isArray() ? source.size() : 0, source.isObject() ? source.size() : 0);
    this.source = source;
  }

  private void fill() {
    JsonNode s = source;
    if (s != null) {
      source = null;
      LuaJson.fill(this, s);
    }
  }

  @Override
  public void presize(int narray) {
    fill();
    super.presize(narray);
  }

  @Override
  public void presize(int narray, int nhash) {
    fill();
    super.presize(narray, nhash);
  }

  @Override
  public LuaValue get(int key) {
    fill();
    return super.get(key);
  }

  @Override
  public LuaValue get(LuaValue key) {
    fill();
    return super.get(key);
  }

  @Override
  public LuaValue rawget(int key) {
    fill();
    return super.rawget(key);
  }

  @Override
  public LuaValue rawget(LuaValue key) {
    fill();
    return super.rawget(key);
  }

  @Override
  public void set(int key, LuaValue value) {
    fill();
    super.set(key, value);
  }

  @Override
  public void set(LuaValue key, LuaValue value) {
    fill();
    super.set(key, value);
  }

  @Override
  public void rawset(int key, LuaValue value) {
    fill();
    super.rawset(key, value);
  }

  @Override
  public void rawset(LuaValue key, LuaValue value) {
    fill();
    super.rawset(key, value);
  }

  @Override
  public LuaValue remove(int pos) {
    fill();
    return super.remove(pos);
  }

  @Override
  public void insert(int pos, LuaValue value) {
    fill();
    super.insert(pos, value);
  }

  @Override
  public LuaValue concat(LuaString sep, int i, int j) {
    fill();
    return super.concat(sep, i, j);
  }

  @Override
  public int length() {
    fill();
    return super.length();
  }

  @Override
  public LuaValue len() {
    fill();
    return super.len();
  }

  @Override
  public int rawlen() {
    fill();
    return super.rawlen();
  }

  @Override
  public Varargs next(LuaValue key) {
    fill();
    return super.next(key);
  }

  @Override
  public Varargs inext(LuaValue key) {
    fill();
    return super.inext(key);
  }

  @Override
  public void hashset(LuaValue key, LuaValue value) {
    fill();
    super.hashset(key, value);
  }

  @Override
  public void sort(LuaValue comparator) {
    fill();
    super.sort(comparator);
  }

  @Override
  public int keyCount() {
    fill();
    return super.keyCount();
  }

  @Override
  public LuaValue[] keys() {
    fill();
    return super.keys();
  }

  @Override
  public Varargs unpack() {
    fill();
    return super.unpack();
  }

  @Override
  public Varargs unpack(int i) {
    fill();
    return super.unpack(i);
  }

  @Override
  public Varargs unpack(int i, int j) {
    fill();
    return super.unpack(i, j);
  }
}
