/**
 * A local git server for tests: bare repositories served by a real {@code git daemon} on 127.0.0.1
 * and as {@code file://} URLs. See {@link io.glidepath.testkit.git.LocalGitServer}.
 */
package io.glidepath.testkit.git;
