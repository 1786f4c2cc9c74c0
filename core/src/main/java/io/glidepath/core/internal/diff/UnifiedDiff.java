package io.glidepath.core.internal.diff;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts (3 lines of context), as {@code diff -u} prints it. */
public final class UnifiedDiff {
  private static final int CONTEXT = 3;

  private UnifiedDiff() {}

  public static String of(String fromName, String toName, String from, String to) {
    List<String> a = lines(from);
    List<String> b = lines(to);
    int n = a.size();
    int m = b.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] =
            a.get(i).equals(b.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<int[]> edits = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(i).equals(b.get(j))) {
        edits.add(new int[] {0, i++, j++});
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        edits.add(new int[] {-1, i++, j});
      } else {
        edits.add(new int[] {1, i, j++});
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(fromName).append('\n');
    out.append("+++ ").append(toName).append('\n');
    int k = 0;
    boolean any = false;
    while (k < edits.size()) {
      if (edits.get(k)[0] == 0) {
        k++;
        continue;
      }
      any = true;
      int start = Math.max(0, k - CONTEXT);
      int end = k;
      // extend the hunk while changes are closer than 2*CONTEXT lines
      int lastChange = k;
      while (end < edits.size()) {
        if (edits.get(end)[0] != 0) {
          lastChange = end;
        } else if (end - lastChange > 2 * CONTEXT) {
          break;
        }
        end++;
      }
      end = Math.min(edits.size(), lastChange + CONTEXT + 1);
      int aStart = edits.get(start)[1];
      int bStart = edits.get(start)[2];
      int aCount = 0;
      int bCount = 0;
      StringBuilder body = new StringBuilder();
      for (int e = start; e < end; e++) {
        int[] ed = edits.get(e);
        if (ed[0] == 0) {
          body.append(' ').append(a.get(ed[1])).append('\n');
          aCount++;
          bCount++;
        } else if (ed[0] < 0) {
          body.append('-').append(a.get(ed[1])).append('\n');
          aCount++;
        } else {
          body.append('+').append(b.get(ed[2])).append('\n');
          bCount++;
        }
      }
      out.append("@@ -")
          .append(range(aStart, aCount))
          .append(" +")
          .append(range(bStart, bCount))
          .append(" @@\n")
          .append(body);
      k = end;
    }
    return any ? out.toString() : "";
  }

  private static String range(int start, int count) {
    return count == 0 ? start + ",0" : (start + 1) + "," + count;
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    if (text.isEmpty()) {
      return lines;
    }
    for (String line : text.split("\n", -1)) {
      lines.add(line);
    }
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }
}
