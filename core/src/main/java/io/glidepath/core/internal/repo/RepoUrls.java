package io.glidepath.core.internal.repo;

import java.util.Locale;

/** URL comparisons as Argo CD makes them for repository credentials. */
public final class RepoUrls {
  private RepoUrls() {}

  /** The URL without an {@code oci://} scheme (Argo CD's older OCI form has none). */
  public static String stripOci(String url) {
    String u = url.strip();
    return u.regionMatches(true, 0, "oci://", 0, 6) ? u.substring(6) : u;
  }

  /**
   * The URL as compared with a repository Secret's: without {@code oci://}, lower case, without a
   * trailing {@code /} or {@code .git}.
   */
  public static String normalize(String url) {
    String u = stripOci(url).toLowerCase(Locale.ROOT);
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    if (u.endsWith(".git")) {
      u = u.substring(0, u.length() - 4);
    }
    return u;
  }
}
