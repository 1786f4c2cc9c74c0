package io.glidepath.benchmarks.kube;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link KubeSyncBenchmark} in a fresh JVM each time: every fork measures its very first sync (and
 * its first {@code kubectl} run, which has no JVM to warm), so the Glidepath figure includes class
 * loading and the JIT compiling the client and the in-process server. This is what a command-line
 * run of {@code glidepath sync} pays; an embedding platform's controller pays it once per process.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar
 * 'KubeSyncColdStart.(glidepathServerSideApply|kubectlServerSideApply)'}
 */
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(8)
public class KubeSyncColdStart extends KubeSyncBenchmark {}
