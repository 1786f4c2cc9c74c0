/**
 * Writing values back into Git: {@link io.glidepath.git.writeback.SurgicalYaml} changes one YAML
 * scalar and nothing else, {@link io.glidepath.git.writeback.GitWriteBack} commits such edits and
 * pushes them, retrying lost races without ever force-pushing.
 */
package io.glidepath.git.writeback;
