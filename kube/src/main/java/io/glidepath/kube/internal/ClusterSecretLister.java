package io.glidepath.kube.internal;

import io.glidepath.core.resource.Resource;
import io.glidepath.kube.KubeCluster;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Lists the Argo CD cluster Secrets of a namespace (label {@code secret-type=cluster}). */
public final class ClusterSecretLister {
  private ClusterSecretLister() {}

  public static List<Resource> list(KubeCluster cluster, String namespace) {
    DefaultKubeCluster c = DefaultKubeCluster.cast(cluster);
    String selector =
        URLEncoder.encode("argocd.argoproj.io/secret-type=cluster", StandardCharsets.UTF_8);
    KubeApi.Answer a =
        c.api()
            .send(
                "GET",
                "/api/v1/namespaces/" + namespace + "/secrets?labelSelector=" + selector,
                null,
                null,
                null);
    if (!a.ok()) {
      throw KubeApi.failure(a, "list of cluster Secrets in " + namespace, null);
    }
    List<Resource> out = new ArrayList<>();
    for (JsonNode item : a.body().path("items")) {
      ObjectNode o = (ObjectNode) item.deepCopy();
      o.put("apiVersion", "v1");
      o.put("kind", "Secret");
      out.add(Resource.of(o));
    }
    return out;
  }
}
