package io.glidepath.helm.internal;

import com.marcnuri.helm.TemplateCommand;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The main class of the Helm render process that {@link HelmProcess} starts: it reads render
 * requests on standard input and answers each on standard output, one at a time, until its input
 * ends.
 *
 * <p>Helm runs in this separate process so that the process it runs in has an environment Glidepath
 * chose (a kubeconfig naming {@link NullApiServer} only, a private home directory), and so that a
 * render that takes too long or too much memory can be stopped by ending the process.
 *
 * <p>A request is {@code render}, then {@code key=value} lines (values URL-encoded), then {@code
 * end}. An answer is the line {@code @@glidepath-helm <ok|error> <length>} followed by that many
 * bytes of UTF-8 text: the manifests, or Helm's error message. Lines before the header are not part
 * of the answer (the native library may write to standard output).
 *
 * <p>The worker loads the native library as soon as it starts, before it reads a request: {@link
 * HelmProcess} may start it early (while its parent still reads the chart and merges the values),
 * and the load, the larger part of a first render, then runs alongside that work. A library that
 * cannot be loaded is the answer to every request.
 */
public final class HelmWorker {
  static final String HEADER = "@@glidepath-helm ";

  /** The error text of a render that ran out of Java heap in the worker. */
  static final String OUT_OF_MEMORY = "the render ran out of memory";

  /** How Helm ends a YAML error: the render is run again in debug mode for the rendered output. */
  static final String DEBUG_HINT = "Use --debug flag to render out invalid YAML";

  private HelmWorker() {}

  public static void main(String[] args) throws IOException {
    OutputStream answers = new FileOutputStream(FileDescriptor.out);
    // Anything else that writes to System.out must not be taken for an answer.
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    long maxOutput = args.length > 0 ? Long.parseLong(args[0]) : Long.MAX_VALUE;
    serve(System.in, answers, maxOutput);
  }

  /**
   * Loads the native library, then answers the requests of {@code requests} on {@code answers}
   * until {@code requests} ends; how many of them rendered. Public for the class-data archive's
   * training run, which serves one request of its own in the training JVM.
   */
  public static int serve(InputStream requests, OutputStream answers, long maxOutput)
      throws IOException {
    String unavailable = null;
    try {
      NativeHelm.library();
    } catch (RuntimeException | LinkageError e) {
      unavailable = e.getMessage() == null ? e.toString() : e.getMessage().strip();
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(requests, StandardCharsets.UTF_8));
    int rendered = 0;
    String line;
    while ((line = in.readLine()) != null) {
      if (!line.equals("render")) {
        continue;
      }
      Map<String, String> request = new HashMap<>();
      while ((line = in.readLine()) != null && !line.equals("end")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          request.put(
              line.substring(0, eq),
              URLDecoder.decode(line.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      Answer answer =
          unavailable == null ? render(request, maxOutput) : new Answer(false, unavailable);
      answer(answers, answer, maxOutput);
      rendered += answer.ok() ? 1 : 0;
    }
    return rendered;
  }

  private record Answer(boolean ok, String text) {}

  private static Answer render(Map<String, String> request, long maxOutput) {
    try {
      try {
        String manifests = command(request, false).call();
        // a chart that renders nothing (no templates, or all disabled): helm-java answers null
        return new Answer(true, manifests == null ? "" : manifests);
      } catch (RuntimeException e) {
        String message = e.getMessage();
        if (message == null || !message.contains(DEBUG_HINT)) {
          throw e;
        }
        // a YAML error: in debug mode Helm's message carries the rendered output, which the
        // parent quotes around the line Helm names; a message too large to send is not used
        try {
          command(request, true).call();
        } catch (RuntimeException detailed) {
          String text = detailed.getMessage();
          if (text != null && text.length() <= maxOutput / 4) {
            return new Answer(false, text.strip());
          }
        }
        throw e;
      }
    } catch (RuntimeException e) {
      return new Answer(
          false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip());
    } catch (OutOfMemoryError e) {
      return new Answer(false, OUT_OF_MEMORY);
    }
  }

  private static TemplateCommand command(Map<String, String> request, boolean debug) {
    TemplateCommand command =
        new TemplateCommand(NativeHelm.library(), Path.of(request.get("chart")))
            .withName(request.get("name"))
            .withNamespace(request.get("namespace"))
            .withValuesFile(Path.of(request.get("values")));
    if (request.containsKey("kubeVersion")) {
      command.withKubeVersion(request.get("kubeVersion"));
    }
    if ("true".equals(request.get("skipCrds"))) {
      command.skipCrds();
    }
    return debug ? command.debug() : command;
  }

  private static void answer(OutputStream out, Answer answer, long maxOutput) throws IOException {
    byte[] body = answer.text().getBytes(StandardCharsets.UTF_8);
    if (body.length > maxOutput) {
      // the parent refuses it anyway: say how large it is, send none of it
      out.write((HEADER + "too-large " + body.length + "\n").getBytes(StandardCharsets.UTF_8));
    } else {
      String status = answer.ok() ? "ok" : "error";
      out.write((HEADER + status + " " + body.length + "\n").getBytes(StandardCharsets.UTF_8));
      out.write(body);
    }
    out.flush();
  }
}
