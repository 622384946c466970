/**
 * The connector extension point. Connectors need Camel on their compile class path ({@code camel-api});
 * twin plugins never do.
 */
package org.twinbridge.sdk.connector;
