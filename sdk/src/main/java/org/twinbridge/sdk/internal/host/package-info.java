/**
 * Not API: the wire protocol between a node and an isolated plugin process, and the process's entry point.
 *
 * <p>A node runs every untrusted twin plugin in a child JVM of its own ({@link
 * org.twinbridge.sdk.internal.host.PluginProcessMain}), and a federated site every aggregate plugin ({@link
 * org.twinbridge.sdk.internal.host.AggregateProcessMain}, {@link org.twinbridge.sdk.internal.host.AggregateMessages}),
 * whose class path holds only this SDK and the libraries
 * it needs. They talk over the child's stdin and stdout in length-prefixed frames ({@link
 * org.twinbridge.sdk.internal.host.Wire}); {@link org.twinbridge.sdk.internal.host.Messages} defines version
 * {@value org.twinbridge.sdk.internal.host.Wire#VERSION}. Plugins must not use this package; it changes without
 * notice, and the node checks the version at every start.
 */
package org.twinbridge.sdk.internal.host;
