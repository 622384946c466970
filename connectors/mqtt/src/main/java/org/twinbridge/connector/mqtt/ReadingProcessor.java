package org.twinbridge.connector.mqtt;

import java.time.Instant;
import java.util.ArrayList;
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
 * Maps a batch of MQTT messages (a {@code List<InboundReading>} body). The body becomes the
 * {@code List<CanonicalRecord>} of every message that mapped, in arrival order, for one journal commit; a payload
 * that can never be mapped becomes a {@link DeadLetter} in {@link #DEAD_LETTERS}. {@link #OUTCOMES} holds one
 * {@link Outcome} per message, for the connector's monitor once the batch is acknowledged.
 */
final class ReadingProcessor implements Processor {

    /** Exchange property: the batch's dead letters, {@code List<DeadLetter>}. */
    static final String DEAD_LETTERS = "TwinBridgeDeadLetters";
    /** Exchange property: one {@link Outcome} per message of the batch, {@code List<Outcome>}. */
    static final String OUTCOMES = "TwinBridgeReadingOutcomes";
    private final String connectorId;
    private final MqttSettings settings;
    private final PayloadMapper mapper;

    /**
     * What became of one message: a rejection code for a dead letter, else when its newest reading was taken.
     *
     * @param rejection the dead letter's reason code, or null when the message mapped
     * @param newestReading the newest reading time of its records, or null
     */
    record Outcome(String rejection, Instant newestReading) {
    }

    ReadingProcessor(String connectorId, MqttSettings settings) {
        this.connectorId = connectorId;
        this.settings = settings;
        this.mapper = new PayloadMapper(connectorId, settings.format(), settings.deviceSystem());
    }

    @Override
    public void process(Exchange exchange) {
        List<?> batch = exchange.getMessage().getBody(List.class);
        List<CanonicalRecord> records = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        for (Object item : batch) {
            InboundReading message = (InboundReading) item;
            try {
                List<CanonicalRecord> mapped = map(message);
                records.addAll(mapped);
                outcomes.add(new Outcome(null, newestReading(mapped).orElse(null)));
            } catch (PayloadException e) {
                deadLetters.add(new DeadLetter(connectorId, e.code(), e.reason(), message.payload()));
                outcomes.add(new Outcome(e.code(), null));
            }
        }
        exchange.getMessage().setBody(records);
        exchange.setProperty(DEAD_LETTERS, deadLetters);
        exchange.setProperty(OUTCOMES, outcomes);
    }

    private List<CanonicalRecord> map(InboundReading message) throws PayloadException {
        byte[] payload = message.payload();
        if (payload.length == 0) {
            throw new PayloadException("TB-MQTT-030", "the message is empty");
        }
        if (payload.length > settings.maxPayload()) {
            throw new PayloadException("TB-MQTT-030", "the message is " + payload.length + " bytes, more than "
                    + "max-payload (" + settings.maxPayload() + ")");
        }
        return mapper.map(payload, deviceId(message.topic()));
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
