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
 * <p>Each fork runs with the flags {@code bin/glidepath} gives {@code sync}: the C1 compiler alone
 * and the serial collector ({@link KubeSyncColdStartJvmDefaults} keeps the JVM's defaults). The
 * kubectl forks get them too, since the API server they talk to lives in the fork.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar
 * 'KubeSyncColdStart.(glidepathServerSideApply|kubectlServerSideApply)'}
 */
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(
    value = 8,
    jvmArgsAppend = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"})
public class KubeSyncColdStart extends KubeSyncBenchmark {}
