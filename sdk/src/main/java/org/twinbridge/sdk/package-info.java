/**
 * The TwinBridge SDK: the only API that twin-model plugins and third-party connectors compile against.
 *
 * <p>A twin plugin implements {@link org.twinbridge.sdk.TwinModel}; it receives
 * {@link org.twinbridge.sdk.model.AuthorisedRecord}s that the node's consent-and-policy engine has already
 * decided, projected and pseudonymised, keeps per-subject state in a {@link org.twinbridge.sdk.StateStore}
 * and emits {@link org.twinbridge.sdk.model.TwinOutput}s through its {@link org.twinbridge.sdk.TwinContext}.
 * A plugin never sees the runtime: no journal, no keys, no configuration, no patient identity.
 *
 * <p>A connector implements {@link org.twinbridge.sdk.connector.SourceConnector}; it contributes a Camel
 * route that maps its source to FHIR R4 and hands {@link org.twinbridge.sdk.model.CanonicalRecord}s to the
 * journal.
 */
package org.twinbridge.sdk;
