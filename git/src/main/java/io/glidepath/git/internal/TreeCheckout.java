package io.glidepath.git.internal;

import io.glidepath.git.SymlinkViolation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes the tree of a commit to a directory straight from the object database (no index, no
 * checkout state), creating only symbolic links that stay inside the directory.
 */
final class TreeCheckout {
  private TreeCheckout() {}

  static List<SymlinkViolation> write(Repository repo, RevCommit commit, Path root)
      throws IOException {
    return write(repo, commit, root, null);
  }

  /**
   * Writes only the entries at or under {@code paths} (all when null); the directories above them
   * are created as needed.
   */
  static List<SymlinkViolation> write(
      Repository repo, RevCommit commit, Path root, java.util.Collection<String> paths)
      throws IOException {
    Map<String, String> links = new LinkedHashMap<>();
    try (ObjectReader reader = repo.newObjectReader();
        TreeWalk walk = new TreeWalk(repo, reader)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      if (paths != null) {
        walk.setFilter(org.eclipse.jgit.treewalk.filter.PathFilterGroup.createFromStrings(paths));
      }
      while (walk.next()) {
        String path = walk.getPathString();
        Path file = safeTarget(root, path);
        FileMode mode = walk.getFileMode(0);
        if (mode == FileMode.SYMLINK) {
          links.put(
              path,
              new String(reader.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
        } else if (mode == FileMode.GITLINK) {
          // a submodule: its content is another repository, left empty as git does
          Files.createDirectories(file);
        } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
          Files.createDirectories(file.getParent());
          try (OutputStream out = Files.newOutputStream(file)) {
            reader.open(walk.getObjectId(0)).copyTo(out);
          }
          if (mode == FileMode.EXECUTABLE_FILE) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
          }
        }
      }
    }
    return createLinks(root, links);
  }

  /** Whether the tree of {@code commit} holds a symbolic link anywhere (read, nothing written). */
  static boolean hasLinks(Repository repo, RevCommit commit) throws IOException {
    try (ObjectReader reader = repo.newObjectReader();
        TreeWalk walk = new TreeWalk(repo, reader)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        if (walk.getFileMode(0) == FileMode.SYMLINK) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Creates the links whose target stays inside {@code root} by name, then removes, until none is
   * left, every link whose real path leaves {@code root} through other links or leads nowhere.
   */
  private static List<SymlinkViolation> createLinks(Path root, Map<String, String> links)
      throws IOException {
    List<SymlinkViolation> violations = new ArrayList<>();
    Map<String, Path> created = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : links.entrySet()) {
      Path link = safeTarget(root, e.getKey());
      String target = e.getValue();
      Path targetPath;
      try {
        targetPath = root.getFileSystem().getPath(target);
      } catch (java.nio.file.InvalidPathException bad) {
        violations.add(new SymlinkViolation(e.getKey(), target));
        continue;
      }
      if (targetPath.isAbsolute()
          || target.isEmpty()
          || !link.getParent().resolve(targetPath).normalize().startsWith(root)) {
        violations.add(new SymlinkViolation(e.getKey(), target));
        continue;
      }
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, targetPath);
      created.put(e.getKey(), link);
    }
    Path realRoot = root.toRealPath();
    boolean removed = true;
    while (removed) {
      removed = false;
      var it = created.entrySet().iterator();
      while (it.hasNext()) {
        var e = it.next();
        Path link = e.getValue();
        Path real;
        try {
          real = link.toRealPath();
        } catch (IOException dangling) {
          // dangling or looping: where it would lead once its target appears cannot be trusted
          real = null;
        }
        if (real == null || !real.startsWith(realRoot)) {
          violations.add(new SymlinkViolation(e.getKey(), links.get(e.getKey())));
          Files.delete(link);
          it.remove();
          removed = true;
        }
      }
    }
    return violations;
  }

  private static Path safeTarget(Path root, String gitPath) throws IOException {
    for (String segment : gitPath.split("/", -1)) {
      if (segment.isEmpty()
          || segment.equals(".")
          || segment.equals("..")
          || segment.equalsIgnoreCase(".git")
          || segment.indexOf('\\') >= 0
          || segment.indexOf('\0') >= 0) {
        throw new IOException("unsafe path in the commit's tree: " + gitPath);
      }
    }
    Path p = root.resolve(gitPath);
    if (!p.normalize().startsWith(root) || Files.isSymbolicLink(p.getParent())) {
      throw new IOException("unsafe path in the commit's tree: " + gitPath);
    }
    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("duplicate path in the commit's tree: " + gitPath);
    }
    return p;
  }
}
