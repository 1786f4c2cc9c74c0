/**
 * Implementation details of the rollout module. Not API: the module has no descriptor yet (its
 * analysis dependency has none), so nothing enforces this; do not use these classes directly.
 */
package io.glidepath.rollout.internal.driver;
