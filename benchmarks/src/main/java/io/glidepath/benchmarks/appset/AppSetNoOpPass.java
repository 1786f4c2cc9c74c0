package io.glidepath.benchmarks.appset;

import io.glidepath.appset.ApplicationSetController;
import io.glidepath.appset.GeneratorContext;
import io.glidepath.benchmarks.ExtraResult;
import io.glidepath.core.yaml.Yaml;
import io.glidepath.kube.KubeCluster;
import io.glidepath.kube.RequestRetry;
import io.glidepath.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 22: a pass of the ApplicationSetController over N unchanged Applications (generated from a
 * git-directories generator with goTemplate over an N-directory tree) writes nothing. Counts the
 * write requests the control plane ({@link EmbeddedCluster}) records during the second pass.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.glidepath.benchmarks.appset.AppSetNoOpPass [n] [result.json]
 * }</pre>
 */
public final class AppSetNoOpPass {
  private AppSetNoOpPass() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Path tree = AppSetFixtures.directories(Files.createTempDirectory("glidepath-appset-noop"), n);
    try (EmbeddedCluster embedded = EmbeddedCluster.start();
        KubeCluster control = KubeCluster.connect(embedded.config(), RequestRetry.DEFAULT)) {
      control
          .client()
          .resource("apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n")
          .serverSideApply();
      control.client().resource(Yaml.toJson(setObject())).inNamespace("argocd").create();
      GeneratorContext context =
          GeneratorContext.of(List.of(), GeneratorContext.Repositories.directory(tree));
      try (ApplicationSetController c =
          ApplicationSetController.builder(control, "argocd", "services", context).build()) {
        ApplicationSetController.Pass first = c.reconcile();
        if (first.created().size() != n) {
          throw new IllegalStateException("first pass created " + first.created().size());
        }
        embedded.clearRequests();
        long start = System.nanoTime();
        ApplicationSetController.Pass again = c.reconcile();
        long millis = (System.nanoTime() - start) / 1_000_000;
        int writes = embedded.writes().size();
        System.out.printf(
            "%d apps: no-op pass wroteNothing=%s, %d requests, %d writes, %d ms%n",
            n, again.wroteNothing(), embedded.requests().size(), writes, millis);
        if (args.length > 1) {
          ExtraResult.write(
              Path.of(args[1]),
              List.of(
                  new ExtraResult(
                      AppSetNoOpPass.class.getName() + ".writeCalls", writes, "writes", true)));
        }
      }
    }
  }

  /** The fixture's ApplicationSet as an object for the control plane. */
  private static ObjectNode setObject() {
    ObjectNode o = Yaml.mapper().createObjectNode();
    o.put("apiVersion", "argoproj.io/v1alpha1").put("kind", "ApplicationSet");
    o.putObject("metadata").put("name", "services").put("namespace", "argocd");
    o.set("spec", AppSetFixtures.set("https://git.example/s.git").spec().deepCopy());
    return o;
  }
}
