package org.twinbridge.policy.enforcement;

/**
 * Replaces a literal reference such as {@code Patient/123} with its pseudonymous form in the recipient's key
 * domain, for example {@code Patient/7Q2M...}. Implementations are deterministic per domain so that one
 * recipient can join its own records, and keyed so that two recipients cannot join theirs.
 */
@FunctionalInterface
public interface ReferenceMapper {

    /** The pseudonymous reference for a literal {@code Type/id} reference. */
    String map(String reference);
}
