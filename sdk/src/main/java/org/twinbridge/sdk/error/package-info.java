/**
 * The error catalogue: every {@code TB-<AREA>-NNN} code that TwinBridge's node, tools, connectors and bundled
 * plugins print, each defined once with its meaning and what the reader should do, listed by
 * {@link org.twinbridge.sdk.error.ErrorCatalogue#all()}. {@code docs/errors.md} is rendered from it.
 *
 * <p>It lives in the SDK because the SDK is the one module every other depends on, bundled plugins included. The
 * set is closed ({@link org.twinbridge.sdk.error.ErrorCode} is sealed): a third-party plugin or connector names its
 * own failures in its own messages and documentation.
 */
package org.twinbridge.sdk.error;
