package io.glidepath.examples.tour;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Code regions in Java sources ({@code // tag::name[]} ... {@code // end::name[]}) and the README
 * code blocks that show them ({@code <!-- snippet: name -->} on the line before a {@code ```java}
 * fence), compared with whitespace normalized: runs of spaces, tabs and line breaks count as one
 * space, so indentation and line wrapping may differ, nothing else.
 */
final class Snippets {
  private static final Pattern TAG = Pattern.compile("^\\s*// tag::([\\w.-]+)\\[]\\s*$");
  private static final Pattern END = Pattern.compile("^\\s*// end::([\\w.-]+)\\[]\\s*$");
  private static final Pattern MARKER =
      Pattern.compile("^\\s*<!--\\s*snippet:\\s*([\\w.-]+)\\s*-->\\s*$");

  private Snippets() {}

  /** A piece of text and where it starts ({@code file:line}). */
  record Block(String name, String location, List<String> lines) {
    String text() {
      return String.join("\n", lines);
    }
  }

  /**
   * Every region in the {@code .java} files under {@code root}, by name, paths from {@code base}.
   */
  static Map<String, Block> regions(Path base, Path root) {
    Map<String, Block> regions = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        for (Block b : regions(base.relativize(file).toString(), read(file))) {
          Block previous = regions.put(b.name(), b);
          if (previous != null) {
            throw new IllegalStateException(
                "region '"
                    + b.name()
                    + "' is defined twice: "
                    + previous.location()
                    + " and "
                    + b.location());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return regions;
  }

  /** The regions of one source text, with their common indentation removed. */
  static List<Block> regions(String source, String text) {
    List<String> lines = text.lines().toList();
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher tag = TAG.matcher(lines.get(i));
      if (!tag.matches()) {
        continue;
      }
      String name = tag.group(1);
      int end = i + 1;
      while (end < lines.size() && !isEnd(lines.get(end), name)) {
        end++;
      }
      if (end == lines.size()) {
        throw new IllegalStateException(
            source + ":" + (i + 1) + ": region '" + name + "' has no // end::" + name + "[]");
      }
      out.add(new Block(name, source + ":" + (i + 2), dedent(lines.subList(i + 1, end))));
      i = end;
    }
    return out;
  }

  private static boolean isEnd(String line, String name) {
    Matcher m = END.matcher(line);
    return m.matches() && m.group(1).equals(name);
  }

  /** The {@code ```java} blocks of a Markdown text that follow a snippet marker, by name. */
  static List<Block> markedBlocks(String source, String markdown) {
    List<String> lines = markdown.lines().toList();
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARKER.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      String name = m.group(1);
      int fence = i + 1;
      while (fence < lines.size() && lines.get(fence).isBlank()) {
        fence++;
      }
      if (fence == lines.size() || !lines.get(fence).trim().equals("```java")) {
        throw new IllegalStateException(
            source + ":" + (i + 1) + ": snippet marker '" + name + "' is not followed by ```java");
      }
      int end = fence + 1;
      while (end < lines.size() && !lines.get(end).trim().equals("```")) {
        end++;
      }
      if (end == lines.size()) {
        throw new IllegalStateException(
            source + ":" + (fence + 1) + ": snippet '" + name + "' has no closing ```");
      }
      out.add(new Block(name, source + ":" + (fence + 2), dedent(lines.subList(fence + 1, end))));
      i = end;
    }
    return out;
  }

  /**
   * The {@code ```java} blocks of a Markdown text that no snippet marker names (they are not
   * compiled), each named by its location.
   */
  static List<Block> unmarkedJavaBlocks(String source, String markdown) {
    List<String> lines = markdown.lines().toList();
    List<Block> out = new ArrayList<>();
    String previous = "";
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.trim().equals("```java")) {
        int end = i + 1;
        while (end < lines.size() && !lines.get(end).trim().equals("```")) {
          end++;
        }
        if (!MARKER.matcher(previous).matches()) {
          String at = source + ":" + (i + 2);
          out.add(new Block(at, at, dedent(lines.subList(i + 1, Math.min(end, lines.size())))));
        }
        i = end;
      }
      if (!line.isBlank()) {
        previous = line;
      }
    }
    return out;
  }

  /** Whitespace runs (line breaks included) as one space, trimmed. */
  static String normalize(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  /**
   * Empty when the README block shows the region; otherwise a message naming both places and a line
   * diff ({@code -} README only, {@code +} source only) of the trimmed, non-blank lines.
   */
  static Optional<String> difference(Block readme, Block region) {
    if (normalize(readme.text()).equals(normalize(region.text()))) {
      return Optional.empty();
    }
    StringBuilder msg =
        new StringBuilder()
            .append("README block '")
            .append(readme.name())
            .append("' (")
            .append(readme.location())
            .append(") differs from region '")
            .append(region.name())
            .append("' (")
            .append(region.location())
            .append("); - README only, + source only:\n");
    for (String line : lineDiff(significant(readme.lines()), significant(region.lines()))) {
      msg.append(line).append('\n');
    }
    msg.append("The source region, to paste into the README:\n").append(region.text());
    return Optional.of(msg.toString());
  }

  private static List<String> significant(List<String> lines) {
    return lines.stream()
        .map(l -> l.strip().replaceAll("\\s+", " "))
        .filter(l -> !l.isEmpty())
        .toList();
  }

  /** A minimal LCS line diff: common lines with two spaces, then - and + lines. */
  static List<String> lineDiff(List<String> a, List<String> b) {
    int[][] lcs = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        lcs[i][j] =
            a.get(i).equals(b.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
        out.add("  " + a.get(i));
        i++;
        j++;
      } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
        out.add("+ " + b.get(j++));
      } else {
        out.add("- " + a.get(i++));
      }
    }
    return out;
  }

  /**
   * What a region's comments say it prints: for every statement that prints ({@code System.out}),
   * its trailing comment and the comment lines right after it, one expectation per statement, each
   * as one line (comment lines joined with a space). {@code ...} stands for anything.
   */
  static List<String> statedOutput(Block region) {
    List<String> stated = new ArrayList<>();
    List<String> lines = region.lines();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.contains("System.out")) {
        continue;
      }
      List<String> said = new ArrayList<>();
      int trailing = line.indexOf("// ");
      if (trailing > line.indexOf("System.out")) {
        said.add(line.substring(trailing + 3));
      }
      int j = i + 1;
      while (j < lines.size() && lines.get(j).strip().startsWith("//")) {
        said.add(lines.get(j).strip().substring(2));
        j++;
      }
      if (!said.isEmpty()) {
        stated.add(normalize(String.join(" ", said)));
      }
    }
    return stated;
  }

  /**
   * Empty when {@code printed} shows everything the region's comments say it prints ({@link
   * #statedOutput}), in order, whitespace runs counting as one space and {@code ...} as anything;
   * otherwise what was not found.
   */
  static Optional<String> printedAsStated(Block region, String printed) {
    String out = normalize(printed);
    int from = 0;
    for (String stated : statedOutput(region)) {
      for (String part : stated.split("\\.\\.\\.")) {
        String want = normalize(part);
        if (want.isEmpty()) {
          continue;
        }
        int at = out.indexOf(want, from);
        if (at < 0) {
          return Optional.of(
              "region '"
                  + region.name()
                  + "' ("
                  + region.location()
                  + ") says it prints \""
                  + want
                  + "\", which is not in what it printed after position "
                  + from
                  + ":\n"
                  + printed);
        }
        from = at + want.length();
      }
    }
    return Optional.empty();
  }

  private static List<String> dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    int cut = indent == Integer.MAX_VALUE ? 0 : indent;
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(cut)).toList();
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
