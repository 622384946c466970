package org.twinbridge.connector.mqtt;

import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.SourceConnector;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Ingests device readings from an MQTT broker: subscribes at QoS 1 in a persistent session, maps Open mHealth
 * data points or FHIR device resources to Observations with LOINC, UCUM and a Device reference, journals them,
 * and only then acknowledges each message (see {@link ManualAckMqttConsumer}): the messages received while a
 * commit runs are committed together next, in one journal transaction, and acknowledged together. Payloads that can never be
 * mapped become dead letters and are acknowledged. Configured device bindings are journalled as Device records
 * for the node's device registry.
 */
public final class MqttSourceConnector implements SourceConnector {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSourceConnector.class);

    /**
     * The Observation id this connector gives an Open mHealth reading whose data point id ({@code header.id}) is
     * {@code dataPointId}: stable across redeliveries, distinct per reading.
     */
    public static String openMHealthReadingId(String dataPointId) {
        return PayloadMapper.readingId("omh/" + dataPointId);
    }

    @Override
    public String type() {
        return "mqtt";
    }

    @Override
    public Set<String> settingKeys() {
        return MqttSettings.KEYS;
    }

    @Override
    public RoutesBuilder routes(ConnectorContext context) throws ConnectorConfigException {
        MqttSettings settings = MqttSettings.from(context);
        String id = context.connectorId();
        String journal = context.journalUri();
        String deadLetters = context.deadLetterUri();
        ManualAckMqttEndpoint endpoint = new ManualAckMqttEndpoint(id, settings, context.monitor());
        ReadingProcessor readings = new ReadingProcessor(id, settings);
        List<CanonicalRecord> bindings = DeviceBindings.records(id, settings);
        return new RouteBuilder() {
            @Override
            public void configure() {
                endpoint.setCamelContext(getContext());
                // No error handler: a failed commit must reach the consumer, which then withholds the ack; Camel's
                // default handler would also log the exception, whose message can come from the database.
                // One exchange per batch of messages: their readings go to the journal in one commit, then each
                // dead letter is committed; only then does the consumer acknowledge the batch.
                from(endpoint).routeId("connector-" + id).errorHandler(noErrorHandler())
                        .process(readings)
                        .filter(exchange -> !exchange.getMessage().getBody(List.class).isEmpty())
                            .to(journal)
                        .end()
                        .split(exchangeProperty(ReadingProcessor.DEAD_LETTERS)).stopOnException()
                            .to(deadLetters)
                        .end();
                if (!bindings.isEmpty()) {
                    // Re-sent every minute until the node stops: identical records are ignored by the journal, and a
                    // journal that was briefly unavailable at start-up still gets them.
                    from("timer:twinbridge-mqtt-bindings-" + id + "?delay=0&period=60000")
                            .routeId("connector-" + id + "-bindings").errorHandler(noErrorHandler())
                            .process(exchange -> journalBindings(exchange, journal, bindings, id));
                }
            }
        };
    }

    private static void journalBindings(Exchange exchange, String journal, List<CanonicalRecord> bindings,
            String id) {
        ProducerTemplate template = exchange.getContext().createProducerTemplate();
        try {
            Exchange result = template.send(journal, ex -> ex.getMessage().setBody(bindings));
            if (result.getException() != null) {
                LOG.warn("TB-MQTT-040 connector {}: device bindings were not journalled ({}); retrying in a minute",
                        id, result.getException().getClass().getSimpleName());
            }
        } finally {
            try {
                template.stop();
            } catch (RuntimeException e) {
                LOG.debug("connector {}: producer template did not stop cleanly", id);
            }
        }
    }
}
