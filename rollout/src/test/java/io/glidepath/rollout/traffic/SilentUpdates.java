package io.glidepath.rollout.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Wraps a client so that every {@code update()} and {@code patch(context, body)} answers like a
 * success but changes nothing: the API server of Argo Rollouts bug #4741, where a VirtualService
 * write was a silent no-op. {@link #failing} makes the updates of one named object fail with a 500
 * instead.
 */
final class SilentUpdates {
  private SilentUpdates() {}

  static KubernetesClient wrap(KubernetesClient client) {
    return (KubernetesClient) wrapAny(client, null, false);
  }

  /** Every {@code update()} of an object named {@code name} fails with HTTP 500. */
  static KubernetesClient failing(KubernetesClient client, String name) {
    return (KubernetesClient) wrapAny(client, name, false);
  }

  private static Object wrapAny(Object target, String failName, boolean armed) {
    InvocationHandler h =
        (proxy, method, args) -> {
          boolean write =
              (method.getName().equals("update") && (args == null || args.length == 0))
                  || (method.getName().equals("patch") && args != null && args.length == 2);
          if (write) {
            if (failName == null) {
              return invoke(target, findGet(target.getClass()), null);
            }
            if (armed) {
              throw new io.fabric8.kubernetes.client.KubernetesClientException(
                  "injected failure", 500, null);
            }
          }
          Object out = invoke(target, method, args);
          boolean arm =
              armed
                  || (failName != null
                      && args != null
                      && args.length == 1
                      && ((method.getName().equals("resource")
                              && args[0] instanceof io.fabric8.kubernetes.api.model.HasMetadata m
                              && failName.equals(m.getMetadata().getName()))
                          || (method.getName().equals("withName") && failName.equals(args[0]))));
          if (out != null
              && out.getClass().getName().startsWith("io.fabric8.kubernetes.client")
              && !interfaces(out.getClass()).isEmpty()) {
            return wrapAny(out, failName, arm);
          }
          return out;
        };
    return Proxy.newProxyInstance(
        SilentUpdates.class.getClassLoader(),
        interfaces(target.getClass()).toArray(new Class<?>[0]),
        h);
  }

  private static java.util.Set<Class<?>> interfaces(Class<?> type) {
    java.util.Set<Class<?>> out = new java.util.LinkedHashSet<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (java.lang.reflect.Modifier.isPublic(i.getModifiers())) {
          out.add(i);
        }
      }
    }
    return out;
  }

  private static Method findGet(Class<?> type) {
    for (Class<?> i : interfaces(type)) {
      try {
        return i.getMethod("get");
      } catch (NoSuchMethodException e) {
        // try the next interface
      }
    }
    throw new IllegalStateException("no get() on " + type);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      method.setAccessible(true);
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
