package io.glidepath.kustomize.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * kustomize's name-reference fix-up, run once at the top after every rename: each field the
 * configuration's {@code nameReference} lists (a Deployment's ConfigMap volume, a RoleBinding's
 * roleRef and subjects, a webhook's service) that names an object by one of its earlier names gets
 * the object's final name (and, for {@code {name, namespace}} maps, its namespace).
 *
 * <p>Among several objects that once had the name, kustomize's sieve picks: objects of the referred
 * type (for {@code roleRef}, of the roleRef's kind), in the referrer's namespace (cluster-scoped
 * objects and ServiceAccounts pass), then those renamed by the same layers as the referrer. Several
 * left with different names is an error, as in kustomize.
 */
final class NameReferences {
  private NameReferences() {}

  /**
   * Fixes every reference in {@code all}.
   *
   * @throws PatchException when a reference is ambiguous or a RoleBinding subject is malformed
   */
  static void fix(List<Res> all, TransformerConfig tc) {
    for (Res referrer : all) {
      Gvk org = referrer.orgId().gvk();
      List<Res> candidates = null;
      for (TransformerConfig.NameBackRef ref : tc.nameReference) {
        for (FieldSpec fs : ref.referrers()) {
          if (!fs.applies(org) || !fs.exists(referrer.body)) {
            continue;
          }
          if (candidates == null) {
            candidates = couldBeReferencedBy(referrer, all);
          }
          Fixer fixer = new Fixer(referrer, ref.gvk(), fs, candidates);
          try {
            fs.apply(referrer.body, FieldSpec.Leaf.NONE, fixer::set);
          } catch (PatchException e) {
            throw new PatchException(
                "updating name reference in '"
                    + fs.path()
                    + "' field of '"
                    + referrer.curId()
                    + "': "
                    + e.getMessage());
          }
        }
      }
    }
  }

  /** kustomize's {@code SubsetThatCouldBeReferencedByResource}. */
  private static List<Res> couldBeReferencedBy(Res referrer, List<Res> all) {
    ResId referrerId = referrer.curId();
    if (referrerId.clusterScoped()) {
      return all;
    }
    Map<String, Boolean> bindingNamespaces = new HashMap<>();
    if (referrer.kind().equals("RoleBinding")) {
      JsonNode subjects = referrer.body.get("subjects");
      if (subjects != null && subjects.isArray()) {
        for (JsonNode s : subjects) {
          if (s.isObject() && s.has("namespace") && s.has("kind")) {
            if ("ServiceAccount".equals(s.get("kind").asString(""))) {
              JsonNode ns = s.get("namespace");
              if (!ns.isString()) {
                throw new PatchException("namespace is blank for resource \"" + referrerId + "\"");
              }
              bindingNamespaces.put(ns.stringValue(), true);
            }
          }
        }
      }
    }
    List<Res> out = new ArrayList<>();
    for (Res target : all) {
      ResId id = target.curId();
      if (id.clusterScoped()
          || id.namespaceEquals(referrerId)
          || bindingNamespaces.containsKey(target.namespace())) {
        out.add(target);
      }
    }
    return out;
  }

  /** One referring field of one referrer. */
  private static final class Fixer {
    private final Res referrer;
    private final Gvk target;
    private final FieldSpec spec;
    private final List<Res> candidates;

    Fixer(Res referrer, Gvk target, FieldSpec spec, List<Res> candidates) {
      this.referrer = referrer;
      this.target = target;
      this.spec = spec;
      this.candidates = candidates;
    }

    void set(ObjectNode parent, String field) {
      JsonNode v = parent.get(field);
      if (v == null || v.isNull()) {
        return;
      }
      if (v.isObject()) {
        setMapping((ObjectNode) v);
      } else if (v.isArray()) {
        ArrayNode list = (ArrayNode) v;
        for (int i = 0; i < list.size(); i++) {
          JsonNode item = list.get(i);
          if (item.isObject()) {
            setMapping((ObjectNode) item);
          } else if (item.isValueNode() && !item.isNull()) {
            String name = newName(item.asString());
            if (name != null) {
              list.set(i, list.stringNode(name));
            }
          }
        }
      } else {
        String name = newName(v.asString());
        if (name != null) {
          parent.put(field, name);
        }
      }
    }

    private String newName(String oldName) {
      Res referral = select(oldName, candidates, false);
      if (referral == null || referral.name().equals(oldName)) {
        return null;
      }
      return referral.name();
    }

    private void setMapping(ObjectNode node) {
      JsonNode nameNode = node.get("name");
      if (nameNode == null) {
        throw new PatchException("path config error; no 'name' field in node");
      }
      List<Res> pool = candidates;
      JsonNode nsNode = node.get("namespace");
      if (nsNode != null) {
        String ns = nsNode.asString("");
        pool = new ArrayList<>();
        for (Res r : candidates) {
          ResId org = r.orgId();
          if (!org.clusterScoped() && org.effectiveNamespace().equals(ns)) {
            pool.add(r);
          }
        }
        if (pool.isEmpty()) {
          for (Res r : candidates) {
            ResId cur = r.curId();
            if (!cur.clusterScoped() && cur.effectiveNamespace().equals(ns)) {
              pool.add(r);
            }
          }
        }
      }
      String oldName = nameNode.asString("");
      Res referral = select(oldName, pool, true);
      if (referral == null) {
        return;
      }
      if (referral.name().equals(oldName) && referral.namespace().isEmpty()) {
        return;
      }
      node.put("name", referral.name());
      if (!referral.namespace().isEmpty()) {
        node.put("namespace", referral.namespace());
      }
    }

    private Res select(String oldName, List<Res> pool, boolean withNamespace) {
      List<Res> c =
          sieve(pool, r -> r.prevIds().stream().anyMatch(id -> id.name().equals(oldName)));
      c = sieve(c, r -> r.prevIds().stream().anyMatch(id -> id.gvk().selectedBy(target)));
      c = sieve(c, roleRefFilter());
      c = sieve(c, sameNamespaceAsReferrer());
      if (c.size() == 1) {
        return c.get(0);
      }
      c = sieve(c, r -> r.prefixesSuffixesEqual(referrer, true));
      if (c.size() > 1) {
        c = sieve(c, r -> r.prefixesSuffixesEqual(referrer, false));
      }
      if (c.size() == 1) {
        return c.get(0);
      }
      if (c.isEmpty()) {
        return null;
      }
      Res first = c.get(0);
      boolean same = true;
      for (Res r : c) {
        if (!r.name().equals(first.name())
            || withNamespace && !r.namespace().equals(first.namespace())) {
          same = false;
          break;
        }
      }
      if (same) {
        return first;
      }
      List<String> ids = new ArrayList<>();
      for (Res r : c) {
        ids.add(r.curId().toString());
      }
      throw new PatchException("found multiple possible referrals: " + String.join(", ", ids));
    }

    private Predicate<Res> roleRefFilter() {
      if (!spec.path().endsWith("roleRef/name")) {
        return r -> true;
      }
      JsonNode roleRef = referrer.body.get("roleRef");
      if (roleRef == null
          || !roleRef.isObject()
          || !roleRef.has("apiGroup")
          || !roleRef.has("kind")) {
        return r -> true;
      }
      Gvk gvk = new Gvk(roleRef.get("apiGroup").asString(""), "", roleRef.get("kind").asString(""));
      return r -> r.prevIds().stream().anyMatch(id -> id.gvk().selectedBy(gvk));
    }

    private Predicate<Res> sameNamespaceAsReferrer() {
      ResId referrerId = referrer.curId();
      if (referrerId.clusterScoped()) {
        return r -> true;
      }
      return r ->
          r.clusterScoped()
              || r.kind().equals("ServiceAccount")
              || referrerId.namespaceEquals(r.curId());
    }
  }

  private static List<Res> sieve(List<Res> in, Predicate<Res> keep) {
    List<Res> out = new ArrayList<>();
    for (Res r : in) {
      if (keep.test(r)) {
        out.add(r);
      }
    }
    return out;
  }
}
