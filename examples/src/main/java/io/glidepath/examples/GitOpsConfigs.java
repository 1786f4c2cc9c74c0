package io.glidepath.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The example GitOps config repository ({@code examples/gitops-configs}), which ships inside the
 * examples jar so that the demo runs from any directory.
 */
public final class GitOpsConfigs {
  static final String MARKER = "gitops-configs/apps/trade-service/Chart.yaml";

  private GitOpsConfigs() {}

  /** A fresh copy of the repository in {@code target} (created if needed), returned as its root. */
  public static Path copyTo(Path target) {
    URL marker = GitOpsConfigs.class.getClassLoader().getResource(MARKER);
    if (marker == null) {
      throw new IllegalStateException(
          MARKER + " is not on the class path: build the examples module");
    }
    try {
      URI uri = marker.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
          copyTree(fs.getPath("/gitops-configs"), target);
        }
      } else {
        Path root = Path.of(uri).getParent().getParent().getParent();
        copyTree(root, target);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the example configs to " + target, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.createDirectories(dest.getParent());
          Files.copy(p, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
