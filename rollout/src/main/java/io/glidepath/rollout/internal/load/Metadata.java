package io.glidepath.rollout.internal.load;

import java.util.Map;

/**
 * The {@code apiVersion}, {@code kind} and {@code metadata} of a document. Fields the API server
 * writes ({@code uid}, {@code resourceVersion}, ...) are accepted and not used, so that an object
 * exported with {@code kubectl get -o yaml} reads unchanged.
 */
record Metadata(
    String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
  private static final String[] SERVER_FIELDS = {
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "selfLink",
    "ownerReferences",
    "finalizers"
  };

  static Metadata read(Fields root, Refusals refusals, String apiVersion, String kind) {
    String version = root.requiredString("apiVersion");
    if (!version.isEmpty() && !version.equals(apiVersion)) {
      root.refuseAt("apiVersion", "must be " + apiVersion + ", but was '" + version + "'");
    }
    String k = root.requiredString("kind");
    if (!k.isEmpty() && !k.equals(kind)) {
      root.refuseAt("kind", "must be " + kind + ", but was '" + k + "'");
    }
    Fields meta =
        root.object("metadata")
            .orElseGet(() -> Fields.of(RolloutDocumentReader.emptyObject(), "metadata", refusals));
    String name = meta.string("name").filter(s -> !s.isBlank()).orElse("");
    String generated = meta.string("generateName").filter(s -> !s.isBlank()).orElse("");
    if (name.isEmpty() && generated.isEmpty()) {
      refusals.add("metadata.name", "is required (or generateName)");
    }
    String namespace = meta.string("namespace").filter(s -> !s.isBlank()).orElse("default");
    Map<String, String> labels = meta.stringMap("labels");
    Map<String, String> annotations = meta.stringMap("annotations");
    for (String f : SERVER_FIELDS) {
      meta.ignore(f);
    }
    meta.done();
    return new Metadata(name.isEmpty() ? generated : name, namespace, labels, annotations);
  }
}
