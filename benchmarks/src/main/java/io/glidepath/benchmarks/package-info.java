/**
 * JMH benchmarks, one package per area ({@code render}, {@code diff}, {@code analysis}, ...).
 *
 * <p>Build with {@code mvn -pl benchmarks -am package -DskipTests}, run with {@code java -jar
 * benchmarks/target/benchmarks.jar}. Results and the commands that produced them are recorded in
 * {@code benchmarks/RESULTS.md}.
 */
package io.glidepath.benchmarks;
