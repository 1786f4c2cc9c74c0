package io.glidepath.appset;

import io.glidepath.core.resource.Resource;
import java.util.List;
import java.util.Map;

/**
 * What an ApplicationSet generated: its Applications (Argo CD {@code Application} objects in the
 * ApplicationSet's namespace, in generation order) and the Git commits its generators read.
 *
 * @param applications the Applications, each readable by {@link
 *     io.glidepath.core.app.Application#parse}
 * @param revisions the commit each {@code repoURL@revision} a git generator read resolved to
 */
public record GeneratedApplications(List<Resource> applications, Map<String, String> revisions) {
  public GeneratedApplications {
    applications = List.copyOf(applications);
    revisions = Map.copyOf(revisions);
  }
}
