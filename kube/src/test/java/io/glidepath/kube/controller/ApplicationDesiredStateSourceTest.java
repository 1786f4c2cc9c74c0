package io.glidepath.kube.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.glidepath.core.app.Application;
import io.glidepath.core.app.ApplicationRenderer;
import io.glidepath.core.render.GitCheckouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationDesiredStateSourceTest {
  private static final Application APP =
      Application.parse(
          """
          apiVersion: argoproj.io/v1alpha1
          kind: Application
          metadata: {name: shop}
          spec:
            source: {repoURL: "https://git.example.com/shop.git", targetRevision: main, path: app}
            destination: {server: "https://kubernetes.default.svc", namespace: shop}
          """,
          "shop.yaml");

  /** One repository on disk at the commit {@code head} names; counts what is asked of it. */
  private static final class CountingCheckouts implements GitCheckouts {
    private final Path root;
    volatile String head = "1111111111111111111111111111111111111111";
    final AtomicInteger resolves = new AtomicInteger();
    final AtomicInteger checkouts = new AtomicInteger();

    CountingCheckouts(Path root) {
      this.root = root;
    }

    @Override
    public Checkout checkout(String repoUrl, String targetRevision) {
      checkouts.incrementAndGet();
      return Checkout.of(root, head);
    }

    @Override
    public String resolve(String repoUrl, String targetRevision) {
      resolves.incrementAndGet();
      return head;
    }
  }

  @Test
  void aRenderNeededOrDueResolvesTheRevisionsOnlyWhereItDecides(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(
        dir.resolve("app/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: '1'}\n");
    CountingCheckouts git = new CountingCheckouts(dir);
    ApplicationDesiredStateSource source =
        ApplicationDesiredStateSource.of(ApplicationRenderer.builder().git(git).build(), APP);

    // nothing rendered yet: due whatever the revision, so nothing is resolved before the render
    assertThat(source.unchanged(APP)).isNull();
    DesiredState first = source.fetch(APP);
    assertThat(first.revision()).isEqualTo(git.head);
    assertThat(first.resources().size()).isEqualTo(1);
    assertThat(git.resolves).hasValue(0);
    assertThat(git.checkouts).hasValue(1);

    // the same commit: one resolve tells, the render is given back
    assertThat(source.unchanged(APP).revision()).isEqualTo(git.head);
    assertThat(source.fetch(APP).revision()).isEqualTo(git.head);
    assertThat(git.resolves).hasValue(2);
    assertThat(git.checkouts).hasValue(1);

    // a new commit: unchanged() resolves and finds the render due; the fetch after it renders
    // without resolving again
    git.head = "2222222222222222222222222222222222222222";
    assertThat(source.unchanged(APP)).isNull();
    assertThat(source.fetch(APP).revision()).isEqualTo(git.head);
    assertThat(git.resolves).hasValue(3);
    assertThat(git.checkouts).hasValue(2);
  }
}
