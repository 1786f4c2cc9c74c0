package io.glidepath.cli;

import io.glidepath.core.project.Project;
import io.glidepath.core.project.SyncWindow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glidepath windows}: which sync windows of a project are active, and what they block. */
@Command(
    name = "windows",
    mixinStandardHelpOptions = true,
    description = "Show a project's sync windows: which are active at a time, and what they block.")
final class WindowsCommand implements Callable<Integer>, ExitCodes {
  @Spec CommandSpec spec;

  @Option(
      names = "--project",
      required = true,
      paramLabel = "FILE",
      description = "An Argo CD AppProject YAML.")
  Path project;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description = "RFC 3339 or Unix seconds; default: now.")
  String at;

  Clock clock = Clock.systemUTC();

  @Override
  public java.util.Map<Integer, String> outcomes() {
    return java.util.Map.of(OK, "the windows shown");
  }

  @Override
  public Integer call() {
    Project p = Project.read(project);
    Instant when = at == null ? clock.instant() : TimeArg.parse(at);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Sync windows of project " + p.name() + " at " + when + ":");
    if (p.syncWindows().isEmpty()) {
      out.println("  none: syncs are never blocked by time");
    }
    for (SyncWindow w : p.syncWindows()) {
      List<String> scope = new ArrayList<>();
      if (!w.applications().isEmpty()) {
        scope.add("applications " + String.join(",", w.applications()));
      }
      if (!w.namespaces().isEmpty()) {
        scope.add("namespaces " + String.join(",", w.namespaces()));
      }
      if (!w.clusters().isEmpty()) {
        scope.add("clusters " + String.join(",", w.clusters()));
      }
      String state =
          w.isActive(when)
              ? "ACTIVE until " + w.endsAt(when).orElseThrow()
              : "inactive, next opens "
                  + w.nextOpening(when).map(Instant::toString).orElse("not within a year");
      String effect;
      if (w.kind() == SyncWindow.Kind.DENY) {
        effect =
            w.isActive(when)
                ? (w.manualSync()
                    ? "blocks automated syncs; manual syncs allowed"
                    : "blocks all syncs")
                : "blocks nothing now";
      } else {
        effect =
            w.isActive(when)
                ? "allows syncs now"
                : (w.manualSync() ? "outside it only manual syncs run" : "outside it no sync runs");
      }
      out.println("  " + w);
      out.println(
          "    for "
              + (scope.isEmpty()
                  ? "nothing (no applications, namespaces or clusters)"
                  : String.join("; ", scope)));
      out.println("    " + state + ": " + effect);
    }
    out.flush();
    return 0;
  }
}
