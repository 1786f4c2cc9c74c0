package io.glidepath.cli;

import io.glidepath.examples.TradeServiceDemo;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code glidepath demo}: the seed's trade-service scenario on embedded defaults. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the seed's trade-service scenario on embedded defaults.")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--image-tag",
      paramLabel = "TAG",
      description = "Image tag CI writes (default: v2).")
  String imageTag = TradeServiceDemo.DEFAULT_TAG;

  @Option(names = "--no-manifests", description = "Print only the one-line summaries.")
  boolean noManifests;

  @Override
  public Integer call() {
    return new TradeServiceDemo(new PrintStream(System.out, true), imageTag, !noManifests).run();
  }
}
