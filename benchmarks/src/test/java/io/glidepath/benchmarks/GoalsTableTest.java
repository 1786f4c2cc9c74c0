package io.glidepath.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every benchmark that {@code goals.tsv} names exists in this build, so that {@code run.sh} cannot
 * silently report a goal as "not run" because a benchmark method was renamed or removed.
 */
class GoalsTableTest {
  private static final List<String> PACKAGES =
      List.of("analysis", "appset", "cli", "diff", "git", "kube", "kustomize", "rollout");

  @Test
  void everyBenchmarkNamedInTheGoalsTableExists() throws IOException {
    Set<String> jmh = jmhBenchmarks();
    String runScript = Files.readString(Path.of("run.sh"));
    List<String> missing = new ArrayList<>();
    for (String name : namesInGoals()) {
      if (!jmh.contains(name) && !isExtraResultMain(name, runScript)) {
        missing.add(name);
      }
    }
    assertThat(missing).as("benchmarks named in goals.tsv but absent from the build").isEmpty();
  }

  @Test
  void theGoalsTableNamesTheKubectlPeerOfTheFirstSync() throws IOException {
    assertThat(namesInGoals()).contains("KubeSyncBenchmark.kubectlServerSideApply");
  }

  private static List<String> namesInGoals() throws IOException {
    List<String> names = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("goals.tsv"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      names.add(f[1]);
      if (!f[2].equals("-")) {
        names.add(f[2]);
      }
    }
    return names;
  }

  /**
   * The benchmarks in JMH's generated list, as {@code SimpleClass.method}. Each line of {@code
   * META-INF/BenchmarkList} is a sequence of tokens: {@code JMH S <len> <class> S <len> <generated
   * class> S <len> <method> ...}.
   */
  private static Set<String> jmhBenchmarks() throws IOException {
    Set<String> names = new HashSet<>();
    try (InputStream in =
        GoalsTableTest.class.getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
      assertThat(in).as("META-INF/BenchmarkList (JMH annotation processing)").isNotNull();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] t = line.trim().split(" ");
        if (t.length > 9 && t[0].equals("JMH")) {
          String userClass = t[3];
          names.add(userClass.substring(userClass.lastIndexOf('.') + 1) + "." + t[9]);
        }
      }
    }
    assertThat(names).as("benchmarks in META-INF/BenchmarkList").isNotEmpty();
    return names;
  }

  /** A figure written by a main class through {@link ExtraResult}, run by run.sh. */
  private static boolean isExtraResultMain(String name, String runScript) {
    String simpleClass = name.substring(0, name.indexOf('.'));
    return findClass(simpleClass)
        .filter(c -> runScript.contains(c.getName()))
        .filter(GoalsTableTest::hasMain)
        .isPresent();
  }

  private static Optional<Class<?>> findClass(String simpleName) {
    for (String pkg : PACKAGES) {
      try {
        return Optional.of(Class.forName("io.glidepath.benchmarks." + pkg + "." + simpleName));
      } catch (ClassNotFoundException e) {
        // try the next package
      }
    }
    return Optional.empty();
  }

  private static boolean hasMain(Class<?> c) {
    try {
      Method main = c.getMethod("main", String[].class);
      return Modifier.isStatic(main.getModifiers());
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
