package io.glidepath.benchmarks.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TaskCpuTest {
  @Test
  void aBusyThreadShowsUnderItsNameWithoutDigits() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc only");
    long pid = ProcessHandle.current().pid();
    Map<String, Long> before = TaskCpu.of(pid);
    CountDownLatch done = new CountDownLatch(1);
    CountDownLatch read = new CountDownLatch(1);
    Thread spin =
        new Thread(
            () -> {
              // 100 ms of this thread's own CPU, however loaded the machine
              var threads = java.lang.management.ManagementFactory.getThreadMXBean();
              long until = threads.getCurrentThreadCpuTime() + 100_000_000L;
              long x = 0;
              while (threads.getCurrentThreadCpuTime() < until) {
                x += Long.numberOfTrailingZeros(x + 1);
              }
              if (x == 42) {
                System.out.print(""); // keeps the loop
              }
              done.countDown();
              try {
                read.await(); // alive until read: an ended thread's time goes with it
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "spin7-42");
    spin.start();
    done.await();
    Map<String, Long> during = TaskCpu.of(pid);
    read.countDown();
    spin.join();
    Map<String, Long> used = TaskCpu.minus(during, before);
    assertThat(used).containsKey("spin#-#");
    assertThat(used.get("spin#-#")).isGreaterThan(90_000_000L);
    assertThat(TaskCpu.top(used, 50, 1)).contains("spin#-# ");
  }

  @Test
  void minusAddAndTop() {
    Map<String, Long> sum = new java.util.HashMap<>(Map.of("a", 1_000_000L));
    TaskCpu.add(sum, Map.of("a", 2_000_000L, "b", 4_000_000L));
    assertThat(sum).containsEntry("a", 3_000_000L).containsEntry("b", 4_000_000L);
    assertThat(TaskCpu.minus(sum, Map.of("b", 1_000_000L)))
        .containsEntry("a", 3_000_000L)
        .containsEntry("b", 3_000_000L);
    assertThat(TaskCpu.top(sum, 1, 2)).isEqualTo("b 2.0 ms");
  }
}
