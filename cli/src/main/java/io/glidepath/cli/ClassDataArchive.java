package io.glidepath.cli;

import io.glidepath.helm.internal.HelmProcess;
import io.glidepath.helm.internal.HelmWorker;
import io.glidepath.helm.internal.WorkerJar;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the class-data sharing archive of the command line at package time: {@code
 * glidepath-cli.jsa} beside {@code glidepath-cli.jar}, which {@code bin/glidepath} hands to the JVM
 * that made it ({@code -XX:SharedArchiveFile}), so a short command maps the classes it needs from
 * the archive instead of loading and verifying them one by one.
 *
 * <p>{@code java -cp glidepath-cli.jar io.glidepath.cli.ClassDataArchive TARGET_DIR} runs, each in
 * a JVM of its own: a training run of the common commands on small inputs it writes itself ({@code
 * --help} and every command's {@code --help}; {@code render} of a Kustomize overlay, a Helm chart
 * and a plain directory; {@code diff}; {@code env-diff}; {@code windows}; {@code health}; {@code
 * validate}; {@code appset generate}) with {@code -XX:DumpLoadedClassList}; a static dump of the
 * classes it loaded ({@code -Xshare:dump}); then a check that the JVM maps the archive ({@code
 * -Xshare:on}). Only then does it write {@code glidepath-cli.jsa.id}, one line: the archive's size
 * in bytes and the JVM that made it; the launcher uses the archive only when both match, and the
 * JVM itself refuses an archive whose jar changed. Whatever fails (a JVM without CDS, a full disk),
 * the build goes on without an archive: it prints why and exits 0.
 *
 * <p>{@code ... ClassDataArchive --train} is the training run itself.
 */
public final class ClassDataArchive {
  static final String ARCHIVE = Training.COMMON.archive();
  static final String ID = ARCHIVE + ".id";

  /**
   * A training run and the archive it makes. One archive of everything costs the short commands:
   * Java 17 relocates the whole archive at every start, so the sync's classes (the Kubernetes
   * client and the embedded cluster) would double the work of a render that never uses them; sync
   * gets an archive of its own instead, which {@code bin/glidepath} picks for {@code sync}.
   */
  enum Training {
    /** {@code glidepath-cli.jsa}: every command but sync. */
    COMMON("glidepath-cli"),
    /** {@code glidepath-cli-sync.jsa}: {@code sync}, into the embedded cluster. */
    SYNC("glidepath-cli-sync"),
    /**
     * {@code glidepath-helm-worker.jsa}: the Helm render process ({@link HelmWorker}) that a render
     * of a chart starts, which bin/glidepath names to the command line's JVM ({@value
     * HelmProcess#ARCHIVE_PROPERTY}) for it to hand to that process.
     */
    HELM("glidepath-helm-worker");

    private final String base;

    Training(String base) {
      this.base = base;
    }

    String archive() {
      return base + ".jsa";
    }

    String id() {
      return archive() + ".id";
    }

    /** The command lines of this training, on the inputs in {@code dir}. */
    List<String[]> commands(Path dir) {
      return switch (this) {
        case COMMON -> ClassDataArchive.commands(dir);
        case SYNC -> syncCommands(dir);
        case HELM -> List.of();
      };
    }
  }

  private static final long TIMEOUT_SECONDS = 300;

  private ClassDataArchive() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--train")) {
      // a command failing here makes the archive poorer, not wrong: say so, keep the archive
      train(Training.valueOf(args[1])).forEach(f -> System.err.println("training: " + f));
      return;
    }
    if (args.length != 1) {
      System.err.println("usage: ClassDataArchive TARGET_DIR | --train COMMON|SYNC");
      System.exit(2);
    }
    try {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
      // the path the launcher passes: the JVM uses an archive only for the class path it was made
      // for
      String classPath = Path.of(System.getProperty("java.class.path")).toRealPath().toString();
      // quiet when it worked, like the rest of a -q build
      for (Training training : Training.values()) {
        String trainedPath = classPath;
        if (training == Training.HELM) {
          // the Helm process runs on a small jar of its own (bin/glidepath names it), so its
          // archive is made for that jar
          Path workerJar = Path.of(args[0]).resolve(WorkerJar.FILE_NAME).toAbsolutePath();
          try {
            WorkerJar.write(List.of(Path.of(classPath)), workerJar);
          } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(workerJar);
            System.out.println("no " + WorkerJar.FILE_NAME + ": " + e);
            continue;
          }
          trainedPath = workerJar.toRealPath().toString();
        }
        build(Path.of(args[0]), java, trainedPath, training)
            .ifPresent(why -> System.out.println("no " + training.archive() + ": " + why));
      }
    } catch (Exception | Error e) { // the archive never fails the build
      System.out.println("no class-data archive: " + e);
    }
  }

  /**
   * Builds the archive in {@code dir} with {@code java} for {@code classPath}; why there is none,
   * if there is none.
   */
  static Optional<String> build(Path dir, Path java, String classPath, Training training)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path archive = dir.resolve(training.archive()).toAbsolutePath();
    Path id = dir.resolve(training.id());
    Files.deleteIfExists(id);
    Files.deleteIfExists(archive);
    Path classList = dir.resolve(training.base + ".classlist").toAbsolutePath();
    Path log = Files.createTempFile("glidepath-cds-", ".log");
    Path inputs = null;
    try {
      int trained;
      if (training == Training.HELM) {
        // the Helm process's own main class on its own jar, serving one render of a small chart
        inputs = writeInputs(Files.createTempDirectory("glidepath-training-"));
        Path request = inputs.resolve("request");
        Files.write(request, helmRequest(inputs));
        trained =
            run(
                log,
                request,
                java.toString(),
                "-XX:DumpLoadedClassList=" + classList,
                "-cp",
                classPath,
                HelmWorker.class.getName(),
                Long.toString(HELM_TRAINING_OUTPUT));
        if (trained == 0 && !Files.readString(log).contains(HELM_ANSWER_OK)) {
          return Optional.of("the Helm render of the training failed: " + tail(log));
        }
      } else {
        trained =
            run(
                log,
                null,
                java.toString(),
                "-XX:DumpLoadedClassList=" + classList,
                "-cp",
                classPath,
                ClassDataArchive.class.getName(),
                "--train",
                training.name());
      }
      if (trained != 0 || !Files.isRegularFile(classList)) {
        return Optional.of("the training run exited " + trained + ": " + tail(log));
      }
      int dumped =
          run(
              log,
              null,
              java.toString(),
              "-Xshare:dump",
              "-XX:SharedClassListFile=" + classList,
              "-XX:SharedArchiveFile=" + archive,
              "-cp",
              classPath);
      if (dumped != 0 || !Files.isRegularFile(archive)) {
        Files.deleteIfExists(archive);
        return Optional.of("the archive dump exited " + dumped + ": " + tail(log));
      }
      int mapped =
          run(
              log,
              null,
              java.toString(),
              "-XX:SharedArchiveFile=" + archive,
              "-Xshare:on",
              "-XX:ErrorFile=" + dir.resolve("hs_err_cds_check.log"),
              "-cp",
              classPath,
              training == Training.HELM ? HelmWorker.class.getName() : Main.class.getName(),
              training == Training.HELM ? "1" : "--version");
      if (mapped != 0) {
        Files.deleteIfExists(archive);
        return Optional.of("the JVM cannot map it (exit " + mapped + "): " + tail(log));
      }
      long size = Files.size(archive);
      Path partial = dir.resolve(training.id() + ".partial");
      Files.writeString(partial, size + " " + java + "\n", StandardCharsets.UTF_8);
      Files.move(partial, id, StandardCopyOption.REPLACE_EXISTING);
      return Optional.empty();
    } finally {
      Files.deleteIfExists(log);
      Files.deleteIfExists(classList);
      if (inputs != null) {
        delete(inputs);
      }
    }
  }

  private static final long HELM_TRAINING_OUTPUT = 10 * 1024 * 1024;
  private static final String HELM_ANSWER_OK = "@@glidepath-helm ok ";

  /** {@code command}'s exit code; its output to {@code log}, its input from {@code input}. */
  private static int run(Path log, Path input, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    if (input != null) {
      builder.redirectInput(input.toFile());
    }
    Process p = builder.start();
    if (input == null) {
      p.getOutputStream().close();
    }
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      return -1;
    }
    return p.exitValue();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
  }

  /**
   * The training run: the common commands, in this JVM, on inputs written to a temporary directory;
   * the commands that did not exit 0 or 1, with their error output.
   */
  static List<String> train(Training training) throws IOException {
    Path dir = Files.createTempDirectory("glidepath-training-");
    try {
      List<String> failed = new ArrayList<>();
      writeInputs(dir);
      if (training == Training.COMMON) {
        // glidepath --help as Main.main runs it: the usage stored beside the jar
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        UsageText.print(new String[] {"--help"}, nowhere, nowhere);
      }
      // as Main.main does before a command: its class and the lookups it answers are trained too
      JarScans.avoid();
      for (String[] command : training.commands(dir)) {
        // what Main.main asks before it runs a command (the Helm process's early start), so that
        // its class comes from the archive too and a render never opens the jar for it
        HelmPrestart.chartOf(command);
        java.io.StringWriter err = new java.io.StringWriter();
        int code =
            Main.run(command, new PrintWriter(Writer.nullWriter()), new PrintWriter(err, true));
        if (code != ExitCodes.OK && code != ExitCodes.NOT_GOOD) {
          failed.add(String.join(" ", command) + " exited " + code + ": " + err.toString().strip());
        }
      }
      return failed;
    } finally {
      delete(dir);
    }
  }

  /** A request to the Helm process: a render of the chart {@link #writeInputs} writes. */
  static byte[] helmRequest(Path dir) {
    Path values = dir.resolve("chart/values-production.yaml");
    return HelmProcess.encode(
        new HelmProcess.Request(
            dir.resolve("chart"), values, "web", "default", Optional.empty(), false));
  }

  /** The command lines of the training run, on the inputs in {@code dir}. */
  static List<String[]> commands(Path dir) {
    String overlay = dir.resolve("kustomize/overlays/production").toString();
    String chart = dir.resolve("chart").toString();
    String plain = dir.resolve("plain").toString();
    String root = dir.toString();
    List<String[]> commands = new ArrayList<>();
    commands.add(new String[] {"--help"});
    // every command's model and usage, so that a command the run below leaves out starts from the
    // archive too
    for (Class<?> type : Main.SUBCOMMANDS.types()) {
      commands.add(
          new String[] {type.getAnnotation(picocli.CommandLine.Command.class).name(), "--help"});
    }
    commands.addAll(
        List.of(
            new String[] {"render", overlay, "--repo-root", root},
            new String[] {"render", overlay, "--repo-root", root, "-o", "json"},
            new String[] {"render", overlay, "--repo-root", root, "-o", "summary"},
            new String[] {
              "render",
              chart,
              "--repo-root",
              root,
              "-f",
              "values.yaml",
              "-f",
              "values-production.yaml"
            },
            new String[] {"render", plain, "--repo-root", root},
            new String[] {
              "diff", plain, "--repo-root", root, "--live", dir.resolve("live.yaml").toString()
            },
            new String[] {
              "env-diff",
              chart,
              "--repo-root",
              root,
              "--env-a",
              "staging",
              "--values-a",
              "values.yaml",
              "--env-b",
              "production",
              "--values-b",
              "values-production.yaml"
            },
            new String[] {
              "windows",
              "--project",
              dir.resolve("project.yaml").toString(),
              "--at",
              "2026-11-27T18:00:00Z"
            },
            new String[] {"health", dir.resolve("live.yaml").toString()},
            new String[] {"health", dir.resolve("live.yaml").toString(), "-o", "json"},
            new String[] {
              "validate",
              dir.resolve("app.yaml").toString(),
              dir.resolve("project-open.yaml").toString()
            },
            new String[] {"appset", "generate", dir.resolve("appset.yaml").toString()}));
    return commands;
  }

  /**
   * The command lines of the sync training: the first sync of a fresh JVM (the Kubernetes client,
   * server-side apply, the controller) of a plain directory into the embedded cluster, whose own
   * classes come along.
   */
  static List<String[]> syncCommands(Path dir) {
    return List.of(
        new String[] {"sync", "--help"},
        new String[] {
          "sync",
          "--app",
          dir.resolve("app.yaml").toString(),
          "--repo",
          dir.toString(),
          "--project",
          dir.resolve("project-open.yaml").toString(),
          "--embedded"
        });
  }

  /** Small inputs that use what the common commands use; returns {@code dir}. */
  static Path writeInputs(Path dir) throws IOException {
    write(
        dir.resolve("kustomize/base/kustomization.yaml"),
        """
        resources: [deployment.yaml, service.yaml]
        labels:
        - pairs: {app: web}
          includeSelectors: true
        configMapGenerator:
        - name: web-config
          literals: [LEVEL=info]
        """);
    write(dir.resolve("kustomize/base/deployment.yaml"), DEPLOYMENT.formatted("web", "web:1.0"));
    write(
        dir.resolve("kustomize/base/service.yaml"),
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{port: 80, targetPort: 8080}]
        """);
    write(
        dir.resolve("kustomize/overlays/production/kustomization.yaml"),
        """
        resources: [../../base]
        namePrefix: prod-
        namespace: production
        commonAnnotations: {team: platform}
        images:
        - {name: web, newTag: "1.2"}
        replicas:
        - {name: web, count: 3}
        patches:
        - path: resources.yaml
        - target: {kind: Service, name: web}
          patch: |-
            - op: add
              path: /metadata/labels/tier
              value: edge
        """);
    write(
        dir.resolve("kustomize/overlays/production/resources.yaml"),
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
              - name: app
                resources: {limits: {memory: 256Mi}}
                envFrom: [{configMapRef: {name: web-config}}]
        """);
    write(
        dir.resolve("chart/Chart.yaml"),
        """
        apiVersion: v2
        name: web
        version: 0.1.0
        """);
    write(
        dir.resolve("chart/values.yaml"),
        """
        replicas: 1
        image: {repository: web, tag: "1.0"}
        """);
    write(dir.resolve("chart/values-production.yaml"), "replicas: 3\n");
    write(
        dir.resolve("chart/templates/_helpers.tpl"),
        """
        {{- define "web.labels" -}}
        app: {{ .Chart.Name }}
        {{- end -}}
        """);
    write(
        dir.resolve("chart/templates/deployment.yaml"),
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}
          labels: {{- include "web.labels" . | nindent 4 }}
        spec:
          replicas: {{ .Values.replicas }}
          selector:
            matchLabels: {{- include "web.labels" . | nindent 6 }}
          template:
            metadata:
              labels: {{- include "web.labels" . | nindent 8 }}
            spec:
              containers:
              - name: app
                image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
        """);
    // a hook, as charts often have one (a migration job): the render copies the chart to mark it
    write(
        dir.resolve("chart/templates/migrate.yaml"),
        """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {{ .Release.Name }}-migrate
          annotations:
            helm.sh/hook: pre-install,pre-upgrade
            helm.sh/hook-weight: "-1"
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: migrate
                image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
        """);
    write(dir.resolve("plain/deployment.yaml"), DEPLOYMENT.formatted("api", "api:2.0"));
    write(
        dir.resolve("live.yaml"),
        DEPLOYMENT.formatted("api", "api:1.9").replace("metadata: {name: api}", LIVE_METADATA));
    write(
        dir.resolve("project.yaml"),
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata: {name: production}
        spec:
          destinations: [{server: '*', namespace: '*'}]
          sourceRepos: ['*']
          syncWindows:
          - {kind: deny, schedule: '0 16 * * FRI', duration: 64h, applications: ['*']}
        """);
    write(
        dir.resolve("project-open.yaml"),
        """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata: {name: web}
        spec:
          destinations: [{server: '*', namespace: '*'}]
          sourceRepos: ['*']
        """);
    write(
        dir.resolve("app.yaml"),
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: web, namespace: argocd}
        spec:
          project: web
          source: {repoURL: 'https://git.example.com/web.git', targetRevision: main, path: plain}
          destination: {server: 'https://kubernetes.default.svc', namespace: default}
          syncPolicy:
            automated: {prune: true}
            syncOptions: [ServerSideApply=true]
        """);
    write(
        dir.resolve("appset.yaml"),
        """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata: {name: web, namespace: argocd}
        spec:
          goTemplate: true
          goTemplateOptions: [missingkey=error]
          generators:
          - list:
              elements:
              - {env: staging, cluster: 'https://kubernetes.default.svc'}
              - {env: production, cluster: 'https://kubernetes.default.svc'}
          template:
            metadata: {name: 'web-{{.env}}'}
            spec:
              project: web
              source: {repoURL: 'https://git.example.com/web.git', targetRevision: main, path: plain}
              destination: {server: '{{.cluster}}', namespace: '{{.env | lower}}'}
        """);
    return dir;
  }

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: %1$s}
      spec:
        replicas: 1
        selector: {matchLabels: {app: %1$s}}
        template:
          metadata: {labels: {app: %1$s}}
          spec:
            containers:
            - name: app
              image: %2$s
              ports: [{containerPort: 8080}]
      """;

  private static final String LIVE_METADATA =
      "metadata: {name: api, namespace: default, uid: 1f0c, resourceVersion: '42'}";

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
