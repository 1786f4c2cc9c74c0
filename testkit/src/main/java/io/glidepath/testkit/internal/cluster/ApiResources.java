package io.glidepath.testkit.internal.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The resource types the embedded cluster serves: built-in kinds plus registered CRDs. */
public final class ApiResources {
  private final List<ApiResource> resources = new CopyOnWriteArrayList<>();

  private ApiResources() {}

  /** The built-in kinds Glidepath relies on, plus the CRDs of Argo, Istio, Gateway API, SMI. */
  public static ApiResources standard() {
    ApiResources r = new ApiResources();
    r.builtin("", "v1", "Namespace", "namespaces", false, "ns");
    r.builtin("", "v1", "Pod", "pods", true, "po");
    r.builtin("", "v1", "Service", "services", true, "svc");
    r.builtinWithoutStatus("", "v1", "ConfigMap", "configmaps", true, "cm");
    r.builtinWithoutStatus("", "v1", "Secret", "secrets", true);
    r.builtinWithoutStatus("", "v1", "ServiceAccount", "serviceaccounts", true, "sa");
    r.builtin("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, "pvc");
    r.builtin("", "v1", "PersistentVolume", "persistentvolumes", false, "pv");
    r.builtinWithoutStatus("", "v1", "Endpoints", "endpoints", true, "ep");
    r.builtinWithoutStatus("", "v1", "Event", "events", true, "ev");
    r.builtin("", "v1", "Node", "nodes", false, "no");
    r.builtin("", "v1", "ResourceQuota", "resourcequotas", true, "quota");
    r.builtinWithoutStatus("", "v1", "LimitRange", "limitranges", true, "limits");
    r.builtin("apps", "v1", "Deployment", "deployments", true, "deploy");
    r.builtin("apps", "v1", "ReplicaSet", "replicasets", true, "rs");
    r.builtin("apps", "v1", "StatefulSet", "statefulsets", true, "sts");
    r.builtin("apps", "v1", "DaemonSet", "daemonsets", true, "ds");
    r.builtinWithoutStatus("apps", "v1", "ControllerRevision", "controllerrevisions", true);
    r.builtin("batch", "v1", "Job", "jobs", true);
    r.builtin("batch", "v1", "CronJob", "cronjobs", true, "cj");
    r.builtin(
        "autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, "hpa");
    r.builtin("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, "pdb");
    r.builtin("networking.k8s.io", "v1", "Ingress", "ingresses", true, "ing");
    r.builtinWithoutStatus("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false);
    r.builtinWithoutStatus(
        "networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, "netpol");
    r.builtinWithoutStatus("rbac.authorization.k8s.io", "v1", "Role", "roles", true);
    r.builtinWithoutStatus("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true);
    r.builtinWithoutStatus("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false);
    r.builtinWithoutStatus(
        "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false);
    r.builtinWithoutStatus("coordination.k8s.io", "v1", "Lease", "leases", true);
    r.builtinWithoutStatus("storage.k8s.io", "v1", "StorageClass", "storageclasses", false, "sc");
    r.builtin(
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        false,
        "crd",
        "crds");
    r.custom("argoproj.io", "v1alpha1", "Rollout", "rollouts", true, "ro");
    r.customWithoutStatus("argoproj.io", "v1alpha1", "AnalysisTemplate", "analysistemplates", true);
    r.customWithoutStatus(
        "argoproj.io", "v1alpha1", "ClusterAnalysisTemplate", "clusteranalysistemplates", false);
    r.customWithoutStatus("argoproj.io", "v1alpha1", "AnalysisRun", "analysisruns", true);
    r.customWithoutStatus("argoproj.io", "v1alpha1", "Experiment", "experiments", true, "exp");
    r.customWithoutStatus(
        "argoproj.io", "v1alpha1", "Application", "applications", true, "app", "apps");
    r.customWithoutStatus("argoproj.io", "v1alpha1", "AppProject", "appprojects", true, "appproj");
    r.custom(
        "argoproj.io", "v1alpha1", "ApplicationSet", "applicationsets", true, "appset", "appsets");
    r.custom("networking.istio.io", "v1beta1", "VirtualService", "virtualservices", true, "vs");
    r.custom("networking.istio.io", "v1beta1", "DestinationRule", "destinationrules", true, "dr");
    r.custom("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes", true);
    r.custom("gateway.networking.k8s.io", "v1", "Gateway", "gateways", true, "gtw");
    r.custom("split.smi-spec.io", "v1alpha2", "TrafficSplit", "trafficsplits", true, "ts");
    // the other traffic routers of Argo Rollouts
    r.custom("getambassador.io", "v2", "Mapping", "mappings", true);
    r.custom("appmesh.k8s.aws", "v1beta2", "VirtualService", "virtualservices", true);
    r.custom("appmesh.k8s.aws", "v1beta2", "VirtualRouter", "virtualrouters", true);
    r.custom("appmesh.k8s.aws", "v1beta2", "VirtualNode", "virtualnodes", true);
    r.custom("apisix.apache.org", "v2", "ApisixRoute", "apisixroutes", true, "ar");
    r.custom("traefik.containo.us", "v1alpha1", "TraefikService", "traefikservices", true);
    r.custom("traefik.io", "v1alpha1", "TraefikService", "traefikservices", true);
    return r;
  }

  /** A built-in kind with a {@code status} subresource. */
  private void builtin(
      String group, String version, String kind, String plural, boolean ns, String... shortNames) {
    resources.add(
        new ApiResource(group, version, kind, plural, ns, false, List.of(shortNames), true));
  }

  /** A built-in kind without a {@code status} subresource (and, but for Events, no status). */
  private void builtinWithoutStatus(
      String group, String version, String kind, String plural, boolean ns, String... shortNames) {
    resources.add(
        new ApiResource(group, version, kind, plural, ns, false, List.of(shortNames), false));
  }

  /** A custom kind whose CRD declares {@code subresources.status}. */
  private void custom(
      String group, String version, String kind, String plural, boolean ns, String... shortNames) {
    resources.add(
        new ApiResource(group, version, kind, plural, ns, true, List.of(shortNames), true));
  }

  /** A custom kind whose CRD declares no {@code status} subresource. */
  private void customWithoutStatus(
      String group, String version, String kind, String plural, boolean ns, String... shortNames) {
    resources.add(
        new ApiResource(group, version, kind, plural, ns, true, List.of(shortNames), false));
  }

  /** Adds a type, replacing one with the same group, version and plural. */
  public void add(ApiResource resource) {
    resources.removeIf(
        r ->
            r.group().equals(resource.group())
                && r.version().equals(resource.version())
                && r.plural().equals(resource.plural()));
    resources.add(resource);
  }

  /** All served types, in registration order. */
  public List<ApiResource> all() {
    return List.copyOf(resources);
  }

  /** The type served at {@code group/version/plural}. */
  public Optional<ApiResource> byPlural(String group, String version, String plural) {
    return resources.stream()
        .filter(
            r ->
                r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst();
  }

  /** The type of {@code apiVersion} and {@code kind}. */
  public Optional<ApiResource> byKind(String apiVersion, String kind) {
    return resources.stream()
        .filter(r -> r.apiVersion().equals(apiVersion) && r.kind().equals(kind))
        .findFirst();
  }

  /** Group name to its versions, in registration order. */
  public Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (ApiResource r : resources) {
      List<String> versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
      if (!versions.contains(r.version())) {
        versions.add(r.version());
      }
    }
    return groups;
  }

  /** The types served in one group version. */
  public List<ApiResource> inGroupVersion(String group, String version) {
    Collection<ApiResource> all = resources;
    return all.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version))
        .toList();
  }
}
