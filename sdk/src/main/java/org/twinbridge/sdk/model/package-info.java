/** Value types shared by plugins, connectors and the runtime. All are immutable and thread-safe. */
package org.twinbridge.sdk.model;
