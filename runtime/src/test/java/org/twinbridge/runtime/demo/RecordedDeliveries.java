package org.twinbridge.runtime.demo;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where the test plugin {@link RecorderTwin} reports what it received. Deliberately left out of the plugin
 * jar: pf4j then resolves it from the application class loader, so the test and the plugin share it.
 */
public final class RecordedDeliveries {

    /** One delivery as the plugin saw it. */
    public record Delivery(String subject, String resourceType, String json, String receiptId, String policyVersion) {
    }

    public static final List<Delivery> RECEIVED = new CopyOnWriteArrayList<>();

    private RecordedDeliveries() {
    }
}
