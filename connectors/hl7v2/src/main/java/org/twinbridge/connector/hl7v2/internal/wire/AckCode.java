package org.twinbridge.connector.hl7v2.internal.wire;

/**
 * MSA-1 in original acknowledgement mode. {@code AE}: the message content is in error, do not resend it
 * unchanged. {@code AR}: rejected for a reason unrelated to its content (unsupported type or version, sender not
 * allowed, or the node could not store it); the sender may retry.
 */
public enum AckCode {
    AA, AE, AR
}
