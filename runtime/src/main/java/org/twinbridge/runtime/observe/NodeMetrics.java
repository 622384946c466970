package org.twinbridge.runtime.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Collection;
import java.util.function.BooleanSupplier;

/**
 * Binds the node's trackers and plugin progress to a Prometheus registry. Every label is a connector id, a
 * connector type, a plugin id or a state name, all from the node's configuration or plugin manifests, so no label
 * can carry PHI. The values are read when the registry is scraped.
 *
 * <p>Micrometer holds a gauge's or function counter's object weakly. The plugin progress and the readiness check
 * lived only in the registry, so once collected the cursor lag read NaN and the delivered counter froze for the
 * rest of the node's life (NodeObservabilityIT saw it on a busy machine). So gauges hold their objects strongly,
 * and function counters read objects the caller keeps ({@link NodeObservability} holds the progress).
 *
 * <p>Meters (Prometheus names):
 * <ul>
 * <li>{@code twinbridge_connector_records_received_total{connector,type}}: source messages received</li>
 * <li>{@code twinbridge_connector_records_journalled_total{connector,type}}: new records committed</li>
 * <li>{@code twinbridge_connector_records_failed_total{connector,type}}: failures plus rejected messages</li>
 * <li>{@code twinbridge_connector_lag_seconds{connector,type}}: the connector's lag (NaN until reported)</li>
 * <li>{@code twinbridge_connector_state{connector,type,state}}: 1 for the current state, 0 for the others</li>
 * <li>{@code twinbridge_plugin_records_delivered_total{plugin}}, {@code _denied_total}, {@code _failed_total}:
 *     committed delivery outcomes (persistent: they survive restarts, like {@code journal stats})</li>
 * <li>{@code twinbridge_plugin_cursor_lag_records{plugin}}: journal head minus the plugin's cursor</li>
 * <li>{@code twinbridge_journal_head_records}: the journal's newest sequence number</li>
 * <li>{@code twinbridge_node_ready}: 1 when the node is ready (see {@link NodeHealth#ready()})</li>
 * <li>Micrometer's JVM memory, thread, processor and uptime meters ({@code jvm_*}, {@code process_*},
 *     {@code system_*})</li>
 * </ul>
 */
final class NodeMetrics {

    private NodeMetrics() {
    }

    static PrometheusMeterRegistry create(Collection<ConnectorTracker> connectors, Collection<String> plugins,
            PluginProgress progress, BooleanSupplier ready) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (ConnectorTracker tracker : connectors) {
            Tags tags = Tags.of("connector", tracker.connectorId(), "type", tracker.type());
            FunctionCounter.builder("twinbridge.connector.records.received", tracker, ConnectorTracker::receivedCount)
                    .description("Source messages received by the connector (FHIR: resources fetched)")
                    .tags(tags).register(registry);
            FunctionCounter.builder("twinbridge.connector.records.journalled", tracker,
                    ConnectorTracker::journalledCount)
                    .description("New records of the connector committed to the journal").tags(tags).register(registry);
            FunctionCounter.builder("twinbridge.connector.records.failed", tracker, ConnectorTracker::failedCount)
                    .description("Failures of the connector plus source messages it rejected").tags(tags)
                    .register(registry);
            Gauge.builder("twinbridge.connector.lag", tracker, ConnectorTracker::lagSeconds).baseUnit("seconds")
                    .description("The connector's lag as its type defines it (docs/operators.md)").tags(tags)
                    .strongReference(true).register(registry);
            for (ConnectorState state : ConnectorState.values()) {
                Gauge.builder("twinbridge.connector.state", tracker, t -> t.state() == state ? 1 : 0)
                        .description("1 for the connector's current state, 0 for the others")
                        .tags(tags.and("state", state.name())).strongReference(true).register(registry);
            }
        }
        for (String plugin : plugins) {
            Tags tags = Tags.of("plugin", plugin);
            FunctionCounter.builder("twinbridge.plugin.records.delivered", progress,
                    p -> p.current().delivered(plugin))
                    .description("Records delivered to the plugin (committed)").tags(tags).register(registry);
            FunctionCounter.builder("twinbridge.plugin.records.denied", progress, p -> p.current().denied(plugin))
                    .description("Records denied to the plugin by consent or policy").tags(tags).register(registry);
            FunctionCounter.builder("twinbridge.plugin.records.failed", progress, p -> p.current().failed(plugin))
                    .description("Records whose delivery failed in the plugin").tags(tags).register(registry);
            Gauge.builder("twinbridge.plugin.cursor.lag", progress, p -> p.current().cursorLag(plugin))
                    .baseUnit("records").description("Journal records the plugin's cursor has not passed yet")
                    .tags(tags).strongReference(true).register(registry);
        }
        Gauge.builder("twinbridge.journal.head", progress, p -> p.current().journalHead()).baseUnit("records")
                .description("The journal's newest sequence number").strongReference(true).register(registry);
        Gauge.builder("twinbridge.node.ready", ready, r -> r.getAsBoolean() ? 1 : 0)
                .description("1 when the node is ready: database reachable, connectors started, keys loaded")
                .strongReference(true).register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }
}
