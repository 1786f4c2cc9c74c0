package io.glidepath.rollout.internal.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.rollout.driver.RolloutCluster;
import io.glidepath.rollout.traffic.RecordingTrafficRouter;
import io.glidepath.rollout.traffic.TrafficRouter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fenced wrappers pass every call through: a method the interfaces gain later (a default one
 * included) must not silently answer the interface's default under sharding.
 */
class FencedTest {
  private static List<String> notPassedThrough(Class<?> type, Object wrapper) {
    return Arrays.stream(type.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> !declares(wrapper.getClass(), m))
        .map(Method::toString)
        .toList();
  }

  private static boolean declares(Class<?> c, Method m) {
    try {
      c.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @Test
  void theFencedClusterPassesEveryMethodThrough() {
    RolloutCluster fenced = Fenced.cluster(RolloutCluster.inMemory(), () -> {});
    assertThat(notPassedThrough(RolloutCluster.class, fenced)).isEmpty();
  }

  @Test
  void theFencedRouterPassesEveryMethodThrough() {
    TrafficRouter fenced = Fenced.router(new RecordingTrafficRouter(), () -> {});
    assertThat(notPassedThrough(TrafficRouter.class, fenced)).isEmpty();
  }
}
