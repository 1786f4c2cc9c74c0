package io.glidepath.analysis;

import java.util.Optional;

/**
 * Looks up the value of an argument's {@code valueFrom}: a secret key or a field of the rollout.
 *
 * <p>The analysis module knows nothing of Kubernetes, so the caller supplies this, e.g. backed by a
 * secret store: {@code ref -> ref instanceof Argument.SecretKeyRef s ?
 * Optional.of(vault.get(s.key())) : Optional.empty()}. Called on the thread that resolves the
 * template; must not block for long.
 */
@FunctionalInterface
public interface ArgumentResolver {
  /** A resolver that finds nothing. */
  ArgumentResolver NONE = ref -> Optional.empty();

  /** The value, or empty if it cannot be found. */
  Optional<String> resolve(Argument.ValueFrom ref);
}
