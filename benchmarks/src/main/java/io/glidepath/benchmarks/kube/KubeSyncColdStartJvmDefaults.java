package io.glidepath.benchmarks.kube;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link KubeSyncColdStart} with the JVM's default flags (C2 compiler, G1 collector): what a fresh
 * JVM started without {@code bin/glidepath} pays for its first sync. Informational.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar
 * 'KubeSyncColdStartJvmDefaults.(glidepathServerSideApply|kubectlServerSideApply)'}
 */
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(8)
public class KubeSyncColdStartJvmDefaults extends KubeSyncBenchmark {}
