package org.twinbridge.policy.enforcement;

/**
 * Replaces a literal reference (relative such as {@code Patient/123}, absolute URL, or {@code urn:uuid:})
 * with its pseudonymous form in the recipient's key domain, for example {@code Patient/7q2m...}. The whole
 * literal is the input, so the same id on two servers does not collide. Implementations are deterministic per domain so that one
 * recipient can join its own records, and keyed so that two recipients cannot join theirs.
 */
@FunctionalInterface
public interface ReferenceMapper {

    /** The pseudonymous form of a literal reference, as it appears in the record. */
    String map(String reference);
}
