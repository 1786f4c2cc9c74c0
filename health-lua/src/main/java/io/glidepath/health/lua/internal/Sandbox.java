package io.glidepath.health.lua.internal;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.MathLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseOsLib;

/**
 * One thread's Lua state: the libraries Argo CD opens for a health script, and nothing that reaches
 * outside the process. After every run the globals and the library tables are put back as they
 * were, so that no script sees another's leftovers (Argo CD starts a fresh state per script).
 *
 * <p>Opened, as in Argo CD: {@code base} (without {@code dofile}, {@code loadfile}; {@code print}
 * discards), {@code package} (only {@code require} of preloaded modules: the safe {@code os} and
 * {@code json}), {@code table}, a safe {@code os} ({@code time}, {@code date}, {@code clock},
 * {@code difftime}); with {@code useOpenLibs} also {@code string} and {@code math}. Never opened:
 * {@code io}, {@code debug}, {@code coroutine}, {@code luajava}, the rest of {@code os}. Lua 5.1
 * names scripts written for Argo CD's gopher-lua use are there: {@code unpack}, {@code loadstring},
 * {@code table.getn}, {@code table.maxn}, {@code math.mod}, {@code string.gfind}.
 */
final class Sandbox {
  private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

  static {
    // LuaJ keeps the string metatable in a static field: make it (and the library it indexes)
    // read-only, so that no script can change string methods for another
    Globals g = new Globals();
    g.load(new BaseLib());
    g.load(new PackageLib());
    g.load(new StringLib());
    LuaTable methods = ReadOnlyTable.copyOf((LuaTable) g.get("string"), "dump");
    LuaString.s_metatable = ReadOnlyTable.of(LuaValue.INDEX, methods);
  }

  final Globals globals = new Globals();
  final Budget budget;
  private final List<Snapshot> snapshots = new ArrayList<>();

  /** A table's contents after setup; restoring touches only what a run changed. */
  private static final class Snapshot {
    private final LuaTable table;
    private final LuaValue[] keys;
    private final LuaValue[] values;
    private final java.util.Set<LuaValue> keySet;

    Snapshot(LuaTable t) {
      this.table = t;
      this.keys = t.keys();
      this.values = new LuaValue[keys.length];
      for (int i = 0; i < keys.length; i++) {
        values[i] = t.rawget(keys[i]);
      }
      this.keySet = new java.util.HashSet<>(java.util.Arrays.asList(keys));
    }

    void restore() {
      if (table instanceof TrackedTable tracked) {
        if (!tracked.dirty()) {
          return;
        }
        tracked.clean();
      }
      LuaValue mt = table.getmetatable();
      if (mt != null && !mt.isnil()) {
        table.setmetatable(null);
      }
      java.util.List<LuaValue> added = null;
      for (Varargs kv = table.next(LuaValue.NIL); !kv.arg1().isnil(); kv = table.next(kv.arg1())) {
        if (!keySet.contains(kv.arg1())) {
          if (added == null) {
            added = new java.util.ArrayList<>();
          }
          added.add(kv.arg1());
        }
      }
      if (added != null) {
        for (LuaValue k : added) {
          table.rawset(k, LuaValue.NIL);
        }
      }
      for (int i = 0; i < keys.length; i++) {
        if (table.rawget(keys[i]) != values[i]) {
          table.rawset(keys[i], values[i]);
        }
      }
      if (table instanceof TrackedTable tracked) {
        tracked.clean();
      }
    }
  }

  Sandbox(boolean openLibs, Budget budget) {
    this.budget = budget;
    Globals g = globals;
    g.STDOUT = DISCARD;
    g.STDERR = DISCARD;
    g.STDIN = java.io.InputStream.nullInputStream();
    g.finder = name -> null;
    g.load(new BaseLib());
    g.load(new PackageLib());
    g.load(new TableLib());
    if (openLibs) {
      g.load(new StringLib());
      g.load(new MathLib());
    }
    LuaC.install(g);
    // text chunks only: load() of precompiled bytecode (which LuaJ does not verify) is refused
    g.undumper =
        (in, chunkname) -> {
          in.mark(1);
          if (in.read() == 0x1b) {
            throw new LuaError("binary chunks are not allowed in the health check sandbox");
          }
          in.reset();
          return null;
        };
    g.debuglib = budget;

    LuaTable os = safeOs();
    g.set("os", os);
    g.set("dofile", LuaValue.NIL);
    g.set("loadfile", LuaValue.NIL);
    g.set("collectgarbage", LuaValue.NIL);

    LuaTable pkg = (LuaTable) g.get("package");
    LuaTable loaded = (LuaTable) pkg.get("loaded");
    LuaTable preload = (LuaTable) pkg.get("preload");
    loaded.set("os", os);
    preload.set("json", LuaJson.loader(budget));
    LuaTable searchers = new LuaTable();
    searchers.set(1, ((LuaTable) pkg.get("searchers")).get(1)); // the preload searcher only
    pkg.set("searchers", searchers);
    pkg.set("path", "");
    pkg.set("cpath", "");
    pkg.set("loadlib", LuaValue.NIL);
    pkg.set("searchpath", LuaValue.NIL);

    LuaTable table = (LuaTable) g.get("table");
    LuaValue concat = table.get("concat");
    table.set(
        "concat",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            LuaTable t = args.checktable(1);
            long size = 0;
            for (int i = 1, n = t.length(); i <= n; i++) {
              LuaValue v = t.rawget(i);
              size += v.type() == LuaValue.TSTRING ? v.rawlen() : 0;
            }
            budget.reserve(2 * size);
            return concat.invoke(args);
          }
        });
    g.set("unpack", table.get("unpack"));
    g.set("loadstring", g.get("load"));
    // gopher-lua's tonumber(nil) is nil; LuaJ's raises "value expected"
    LuaValue tonumber = g.get("tonumber");
    g.set(
        "tonumber",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            return args.arg1().isnil() ? LuaValue.NIL : tonumber.invoke(args);
          }
        });
    table.set(
        "getn",
        new OneArgFunction() {
          @Override
          public LuaValue call(LuaValue t) {
            return LuaValue.valueOf(t.checktable().length());
          }
        });
    table.set(
        "maxn",
        new OneArgFunction() {
          @Override
          public LuaValue call(LuaValue t) {
            double max = 0;
            LuaTable tt = t.checktable();
            for (Varargs kv = tt.next(LuaValue.NIL); !kv.arg1().isnil(); kv = tt.next(kv.arg1())) {
              if (kv.arg1().isnumber() && kv.arg1().todouble() > max) {
                max = kv.arg1().todouble();
              }
            }
            return LuaValue.valueOf(max);
          }
        });
    if (openLibs) {
      LuaTable string = (LuaTable) g.get("string");
      string.set("dump", LuaValue.NIL);
      string.set("gfind", string.get("gmatch"));
      LuaValue rep = string.get("rep");
      string.set(
          "rep",
          new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
              long size = (long) args.checkstring(1).rawlen() * Math.max(0, args.checkint(2));
              budget.reserve(2 * size);
              return rep.invoke(args);
            }
          });
      LuaTable math = (LuaTable) g.get("math");
      math.set("mod", math.get("fmod"));
    }
    for (String lib :
        openLibs ? new String[] {"string", "math", "table", "os"} : new String[] {"table", "os"}) {
      TrackedTable copy = TrackedTable.copyOf((LuaTable) g.get(lib));
      g.set(lib, copy);
      loaded.set(lib, copy);
      snapshots.add(new Snapshot(copy));
    }
    snapshots.add(new Snapshot(pkg));
    snapshots.add(new Snapshot(loaded));
    snapshots.add(new Snapshot(preload));
    snapshots.add(new Snapshot(g));
  }

  private static LuaTable safeOs() {
    Globals scratch = new Globals();
    scratch.load(new PackageLib());
    scratch.load(new JseOsLib());
    LuaTable full = (LuaTable) scratch.get("os");
    LuaTable os = new LuaTable();
    for (String f : new String[] {"time", "date", "clock", "difftime"}) {
      os.set(f, full.get(f));
    }
    return os;
  }

  /** Puts the globals and libraries back as they were before the run. */
  void restore() {
    for (Snapshot s : snapshots) {
      s.restore();
    }
  }

  /** Raised for a call of something the sandbox closed, when LuaJ's own message would hide it. */
  static LuaError closed(String what) {
    return new LuaError(what + " is not available in the health check sandbox");
  }
}
