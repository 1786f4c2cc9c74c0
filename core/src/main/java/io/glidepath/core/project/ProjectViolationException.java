package io.glidepath.core.project;

import io.glidepath.core.GlidepathException;
import java.util.List;

/**
 * An application, render or sync plan that its project does not permit; nothing of it may be
 * applied. Carries every violation found, not only the first.
 */
public final class ProjectViolationException extends GlidepathException {
  private static final long serialVersionUID = 1L;

  private final String project;
  private final transient List<ProjectViolation> violations;

  public ProjectViolationException(String project, List<ProjectViolation> violations) {
    super(message(project, violations));
    this.project = project;
    this.violations = List.copyOf(violations);
  }

  private static String message(String project, List<ProjectViolation> violations) {
    StringBuilder sb = new StringBuilder("project \"" + project + "\" refuses the sync: ");
    sb.append(violations.get(0).message());
    if (violations.size() > 1) {
      sb.append(" (and ").append(violations.size() - 1).append(" more)");
    }
    return sb.toString();
  }

  public String project() {
    return project;
  }

  public List<ProjectViolation> violations() {
    return violations;
  }
}
