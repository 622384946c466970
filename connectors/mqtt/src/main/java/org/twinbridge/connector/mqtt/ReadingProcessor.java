package org.twinbridge.connector.mqtt;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.hl7.fhir.r4.model.Observation;
import org.twinbridge.connector.support.PayloadException;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Maps the MQTT message in the exchange: on success the body becomes a {@code List<CanonicalRecord>}; a payload
 * that can never be mapped becomes a {@link DeadLetter} and {@link #DEAD_LETTER_HEADER} is set.
 */
final class ReadingProcessor implements Processor {

    static final String DEAD_LETTER_HEADER = "TwinBridgeDeadLetter";
    /** Header holding the newest reading time of the message's records, for the connector's lag. */
    static final String READING_TIME_HEADER = "TwinBridgeReadingTime";
    private final String connectorId;
    private final MqttSettings settings;
    private final PayloadMapper mapper;

    ReadingProcessor(String connectorId, MqttSettings settings) {
        this.connectorId = connectorId;
        this.settings = settings;
        this.mapper = new PayloadMapper(connectorId, settings.format(), settings.deviceSystem());
    }

    @Override
    public void process(Exchange exchange) {
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        String topic = exchange.getMessage().getHeader(ManualAckMqttConsumer.TOPIC_HEADER, "", String.class);
        try {
            if (payload == null || payload.length == 0) {
                throw new PayloadException("TB-MQTT-030", "the message is empty");
            }
            if (payload.length > settings.maxPayload()) {
                throw new PayloadException("TB-MQTT-030", "the message is " + payload.length + " bytes, more than "
                        + "max-payload (" + settings.maxPayload() + ")");
            }
            List<CanonicalRecord> records = mapper.map(payload, deviceId(topic));
            exchange.getMessage().setBody(records);
            newestReading(records).ifPresent(t -> exchange.getMessage().setHeader(READING_TIME_HEADER, t));
        } catch (PayloadException e) {
            exchange.getMessage().setBody(new DeadLetter(connectorId, e.code(), e.reason(),
                    payload == null ? new byte[0] : payload));
            exchange.getMessage().setHeader(DEAD_LETTER_HEADER, true);
        }
    }

    /** When the newest reading of a message was taken: the latest Observation effective time (or its end). */
    static Optional<Instant> newestReading(List<CanonicalRecord> records) {
        Instant newest = null;
        for (CanonicalRecord record : records) {
            if (record.resource() instanceof Observation obs && obs.hasEffective()) {
                Date date = obs.hasEffectivePeriod() ? (obs.getEffectivePeriod().hasEnd()
                        ? obs.getEffectivePeriod().getEnd() : obs.getEffectivePeriod().getStart())
                        : obs.hasEffectiveDateTimeType() ? obs.getEffectiveDateTimeType().getValue()
                        : obs.hasEffectiveInstantType() ? obs.getEffectiveInstantType().getValue() : null;
                if (date != null && (newest == null || date.toInstant().isAfter(newest))) {
                    newest = date.toInstant();
                }
            }
        }
        return Optional.ofNullable(newest);
    }

    /** The topic level under the first {@code +} of the first filter the topic matches. */
    Optional<String> deviceId(String topic) {
        String[] levels = topic.split("/", -1);
        for (String filter : settings.topics()) {
            if (matches(filter, levels)) {
                return MqttSettings.deviceLevel(filter).filter(i -> i < levels.length).map(i -> levels[i])
                        .filter(id -> !id.isEmpty());
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String filter, String[] topic) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("#")) {
                return true;
            }
            if (i >= topic.length || !(levels[i].equals("+") || levels[i].equals(topic[i]))) {
                return false;
            }
        }
        return levels.length == topic.length;
    }
}
