package org.twinbridge.connector.fhir;

/** Names of the connector's durable checkpoints. */
final class Watermarks {

    private Watermarks() {
    }

    /** The checkpoint holding the newest {@code meta.lastUpdated} journalled for a resource type. */
    static String name(String resourceType) {
        return "watermark:" + resourceType;
    }
}
