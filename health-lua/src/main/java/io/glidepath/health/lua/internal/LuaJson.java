package io.glidepath.health.lua.internal;

import io.glidepath.core.yaml.Yaml;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON to Lua and back, with Argo CD's conventions: every number is a Lua number (Argo CD's
 * gopher-lua has only doubles; whole values print without a fraction), a JSON {@code null} is
 * {@code nil} (so an object's null field is absent), a list is a table indexed from 1. Also the
 * {@code json} module Argo CD preloads ({@code local json = require("json")}, {@code json.decode},
 * {@code json.encode}).
 */
final class LuaJson {
  private LuaJson() {}

  static LuaValue toLua(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return LuaValue.NIL;
    }
    if (n.isObject() || n.isArray()) {
      return new LazyTable(n);
    }
    if (n.isString()) {
      return LuaValue.valueOf(n.stringValue());
    }
    if (n.isBoolean()) {
      return LuaValue.valueOf(n.booleanValue());
    }
    if (n.isNumber()) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE
          ? LuaValue.valueOf((int) d)
          : LuaValue.valueOf(d);
    }
    return LuaValue.valueOf(n.asString());
  }

  /** Fills {@code t} (empty) with the entries of a JSON map or list, children converted lazily. */
  static void fill(LuaTable t, JsonNode n) {
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        LuaValue v = toLua(e.getValue());
        if (!v.isnil()) {
          t.rawset(LuaValue.valueOf(e.getKey()), v);
        }
      }
    } else {
      int i = 1;
      for (JsonNode e : n) {
        t.rawset(i++, toLua(e));
      }
    }
  }

  /** A Lua value as JSON: a table with only keys 1..n is a list, others an object (string keys). */
  static JsonNode toJson(LuaValue v, int depth) {
    if (depth > 64) {
      throw new LuaError("json.encode: nesting too deep (a cycle?)");
    }
    if (v.isnil()) {
      return Yaml.mapper().getNodeFactory().nullNode();
    }
    if (v.isboolean()) {
      return Yaml.mapper().getNodeFactory().booleanNode(v.toboolean());
    }
    if (v.type() == LuaValue.TNUMBER) {
      double d = v.todouble();
      return d == Math.rint(d) && Math.abs(d) < 1e15
          ? Yaml.mapper().getNodeFactory().numberNode((long) d)
          : Yaml.mapper().getNodeFactory().numberNode(d);
    }
    if (v.isstring()) {
      return Yaml.mapper().getNodeFactory().stringNode(v.tojstring());
    }
    if (v.istable()) {
      LuaTable t = (LuaTable) v;
      int n = t.length();
      int count = 0;
      for (LuaValue k = t.next(LuaValue.NIL).arg1(); !k.isnil(); k = t.next(k).arg1()) {
        count++;
      }
      if (count == n) {
        ArrayNode a = Yaml.mapper().createArrayNode();
        for (int i = 1; i <= n; i++) {
          a.add(toJson(t.rawget(i), depth + 1));
        }
        return a;
      }
      ObjectNode o = Yaml.mapper().createObjectNode();
      for (Varargs kv = t.next(LuaValue.NIL); !kv.arg1().isnil(); kv = t.next(kv.arg1())) {
        LuaValue k = kv.arg1();
        if (!k.isstring()) {
          throw new LuaError("json.encode: a table key must be a string, found " + k.typename());
        }
        o.set(k.tojstring(), toJson(kv.arg(2), depth + 1));
      }
      return o;
    }
    throw new LuaError("json.encode: cannot encode a " + v.typename());
  }

  /** The {@code json} module. */
  static LuaTable module(Budget budget) {
    LuaTable json = new LuaTable();
    json.set(
        "decode",
        new OneArgFunction() {
          @Override
          public LuaValue call(LuaValue s) {
            String text = s.checkjstring();
            budget.reserve(8L * text.length());
            try {
              return toLua(Yaml.mapper().readTree(text));
            } catch (RuntimeException e) {
              throw new LuaError("json.decode: " + e.getMessage());
            }
          }
        });
    json.set(
        "encode",
        new OneArgFunction() {
          @Override
          public LuaValue call(LuaValue v) {
            return LuaValue.valueOf(Yaml.toJson(toJson(v, 0)));
          }
        });
    return json;
  }

  /** The loader {@code require("json")} runs. */
  static LuaValue loader(Budget budget) {
    return new TwoArgFunction() {
      @Override
      public LuaValue call(LuaValue name, LuaValue extra) {
        return module(budget);
      }
    };
  }
}
