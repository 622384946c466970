package org.twinbridge.sdk;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The per-delivery rules of the {@link TwinContext} contract, stated once and checked by one piece of code. The node
 * (in the plugin's sandboxed process and again on its side of the boundary), the vendor harness and the in-memory
 * test context all enforce them through these checks, so a plugin that passes its tests meets the node's limits.
 *
 * <ul>
 *   <li>at most {@value #MAX_OUTPUTS_PER_DELIVERY} outputs per delivery ({@link TwinContext#emit});</li>
 *   <li>state subjects of 1 to {@value #MAX_SUBJECT_LENGTH} characters and keys of 1 to {@value #MAX_KEY_LENGTH};</li>
 *   <li>state values of at most {@link StateStore#MAX_VALUE_BYTES} bytes in UTF-8.</li>
 * </ul>
 *
 * <p>Breaking a limit throws ({@link IllegalStateException} for outputs, {@link IllegalArgumentException} for state)
 * and fails the delivery, which is rolled back and retried like any other plugin failure. Stateless and thread-safe.
 */
public final class DeliveryLimits {

    /** The most outputs one delivery may emit. */
    public static final int MAX_OUTPUTS_PER_DELIVERY = 100;

    /** The longest state subject, in characters. */
    public static final int MAX_SUBJECT_LENGTH = 64;

    /** The longest state key, in characters. */
    public static final int MAX_KEY_LENGTH = 200;

    private DeliveryLimits() {
    }

    /**
     * Checks that one more output may be emitted in a delivery that has emitted {@code emittedSoFar}.
     *
     * @throws IllegalStateException if the delivery already emitted {@value #MAX_OUTPUTS_PER_DELIVERY}
     */
    public static void checkEmit(int emittedSoFar) {
        if (emittedSoFar >= MAX_OUTPUTS_PER_DELIVERY) {
            throw new IllegalStateException("a delivery may emit at most " + MAX_OUTPUTS_PER_DELIVERY + " outputs");
        }
    }

    /**
     * Checks a state address.
     *
     * @throws IllegalArgumentException if the subject or key is null, empty or too long
     */
    public static void checkStateAddress(String subject, String key) {
        if (subject == null || subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH) {
            throw new IllegalArgumentException("state subject must be 1-" + MAX_SUBJECT_LENGTH + " characters");
        }
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("state key must be 1-" + MAX_KEY_LENGTH + " characters");
        }
    }

    /**
     * Checks a state value and returns its UTF-8 bytes.
     *
     * @throws IllegalArgumentException if the value is larger than {@link StateStore#MAX_VALUE_BYTES}
     * @throws NullPointerException     if it is null
     */
    public static byte[] checkStateValue(String key, String value) {
        Objects.requireNonNull(value, "value");
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > StateStore.MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("state value for key '" + key + "' is " + bytes.length
                    + " bytes; the limit is " + StateStore.MAX_VALUE_BYTES);
        }
        return bytes;
    }
}
