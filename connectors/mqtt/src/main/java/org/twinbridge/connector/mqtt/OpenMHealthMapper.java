package org.twinbridge.connector.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.twinbridge.connector.support.PayloadException;

/**
 * Maps one Open mHealth data point ({@code {header, body}}) or a bare body to a FHIR R4 Observation with LOINC
 * codes and UCUM units. Supports heart-rate, oxygen-saturation, blood-pressure, body-temperature,
 * respiratory-rate and blood-glucose, checked against the current schema versions' rules: a numeric value in a
 * unit the schema allows, an {@code effective_time_frame} (a date-time, or an interval with both ends or one end
 * and a duration), and the schema's enumerations where a value is given. Properties it does not map are reported
 * by name as unmapped; free text such as {@code user_notes} is never copied.
 *
 * <p>A reading with a {@code descriptive_statistic} (say, the day's minimum heart rate) is not a point-in-time
 * vital sign: it keeps its LOINC code, the statistic goes in {@code method.text}, and it gets no vital-signs
 * category, so a policy that grants vital signs to a bedside score does not pass it on. Stateless, thread-safe.
 */
final class OpenMHealthMapper {

    static final String LOINC = "http://loinc.org";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";

    private static final Set<String> STATISTICS = Set.of("average", "count", "maximum", "median", "minimum",
            "standard deviation", "sum", "variance", "20th percentile", "80th percentile", "lower quartile",
            "upper quartile", "quartile deviation", "1st quintile", "2nd quintile", "3rd quintile", "4th quintile");
    private static final Map<String, Set<String>> ENUMERATIONS = Map.of(
            "descriptive_statistic", STATISTICS,
            "temporal_relationship_to_physical_activity",
            Set.of("at rest", "active", "before exercise", "after exercise", "during exercise"),
            "temporal_relationship_to_sleep", Set.of("before sleeping", "during sleep", "on waking"),
            "temporal_relationship_to_meal", Set.of("fasting", "not fasting", "before meal", "after meal",
                    "before breakfast", "after breakfast", "before lunch", "after lunch", "before dinner",
                    "after dinner", "2 hours postprandial"),
            "specimen_source", Set.of("interstitial fluid", "capillary blood", "plasma", "serum", "tears",
                    "whole blood"),
            "blood_specimen_type", Set.of("whole blood", "plasma", "serum"));

    /** One supported measure: its schema name, body property, and how it maps. */
    enum Measure {
        HEART_RATE("heart-rate", "heart_rate", "vital-signs", "8867-4", "Heart rate",
                Map.of("beats/min", "/min")),
        OXYGEN_SATURATION("oxygen-saturation", "oxygen_saturation", "vital-signs", "59408-5",
                "Oxygen saturation in Arterial blood by Pulse oximetry", Map.of("%", "%")),
        BLOOD_PRESSURE("blood-pressure", "systolic_blood_pressure", "vital-signs", "85354-9",
                "Blood pressure panel with all children optional", Map.of("mmHg", "mm[Hg]")),
        BODY_TEMPERATURE("body-temperature", "body_temperature", "vital-signs", "8310-5", "Body temperature",
                Map.of("C", "Cel", "F", "[degF]", "K", "K")),
        RESPIRATORY_RATE("respiratory-rate", "respiratory_rate", "vital-signs", "9279-1", "Respiratory rate",
                Map.of("breaths/min", "/min")),
        BLOOD_GLUCOSE("blood-glucose", "blood_glucose", "laboratory", "2339-0", "Glucose [Mass/volume] in Blood",
                Map.of("mg/dL", "mg/dL", "mmol/L", "mmol/L"));

        final String schema;
        final String property;
        final String category;
        final String loinc;
        final String display;
        final Map<String, String> ucumByUnit;

        Measure(String schema, String property, String category, String loinc, String display,
                Map<String, String> ucumByUnit) {
            this.schema = schema;
            this.property = property;
            this.category = category;
            this.loinc = loinc;
            this.display = display;
            this.ucumByUnit = ucumByUnit;
        }
    }

    /**
     * A mapped reading.
     *
     * @param observation the Observation, without subject or device (the caller adds the device)
     * @param unmapped    names of properties that were not mapped
     * @param dataPointId the data point's {@code header.id}, if it had one
     */
    record Mapped(Observation observation, List<String> unmapped, Optional<String> dataPointId) {
        Mapped {
            unmapped = List.copyOf(unmapped);
        }
    }

    /** Whether a JSON document looks like Open mHealth: a data point, or a body with a supported measure. */
    static boolean looksLike(JsonNode root) {
        return root.isObject() && (root.has("header") || root.has("body")
                || java.util.Arrays.stream(Measure.values()).anyMatch(m -> root.has(m.property))
                || root.has("diastolic_blood_pressure"));
    }

    Mapped map(JsonNode root) throws PayloadException {
        if (!root.isObject()) {
            throw new PayloadException("TB-OMH-001", "an Open mHealth data point must be a JSON object");
        }
        List<String> unmapped = new ArrayList<>();
        JsonNode body = root;
        Optional<String> id = Optional.empty();
        Optional<Measure> declared = Optional.empty();
        Optional<Date> created = Optional.empty();
        if (root.has("header") || root.has("body")) {
            JsonNode header = root.path("header");
            body = root.path("body");
            if (!header.isObject() || !body.isObject()) {
                throw new PayloadException("TB-OMH-002", "an Open mHealth data point needs both a 'header' object "
                        + "and a 'body' object");
            }
            String schema = header.path("schema_id").path("name").asText("");
            declared = java.util.Arrays.stream(Measure.values()).filter(m -> m.schema.equals(schema)).findFirst();
            if (declared.isEmpty()) {
                throw new PayloadException("TB-OMH-002", "'header.schema_id.name' must name a supported schema ("
                        + String.join(", ", java.util.Arrays.stream(Measure.values()).map(m -> m.schema).toList())
                        + ")");
            }
            if (header.path("id").isTextual() && !header.path("id").asText().isBlank()) {
                id = Optional.of(header.path("id").asText());
            }
            if (header.has("creation_date_time")) {
                created = Optional.of(dateTime(header.get("creation_date_time"), "header.creation_date_time"));
            }
            collectUnmapped(header, "header", Set.of("id", "schema_id", "creation_date_time"), unmapped);
        }
        Measure measure = declared.isPresent() ? declared.get() : detect(body);
        if (!body.has(measure.property)) {
            throw new PayloadException("TB-OMH-003", "the body has no '" + measure.property + "' for schema "
                    + measure.schema);
        }
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        boolean statistic = body.has("descriptive_statistic");
        obs.setCode(new CodeableConcept().addCoding(new Coding(LOINC, measure.loinc, measure.display))
                .setText(measure.display));
        if (measure == Measure.OXYGEN_SATURATION) {
            obs.getCode().addCoding(new Coding(LOINC, "2708-6", "Oxygen saturation in Arterial blood"));
        }
        if (!statistic || measure.category.equals("laboratory")) {
            obs.addCategory(new CodeableConcept().addCoding(new Coding(CATEGORY_SYSTEM, measure.category,
                    measure.category.equals("laboratory") ? "Laboratory" : "Vital Signs")));
        }
        Set<String> mapped = new java.util.HashSet<>(Set.of(measure.property, "effective_time_frame",
                "descriptive_statistic"));
        if (measure == Measure.BLOOD_PRESSURE) {
            obs.addComponent().setCode(new CodeableConcept().addCoding(
                    new Coding(LOINC, "8480-6", "Systolic blood pressure"))).setValue(quantity(body, measure,
                    "systolic_blood_pressure"));
            obs.addComponent().setCode(new CodeableConcept().addCoding(
                    new Coding(LOINC, "8462-4", "Diastolic blood pressure"))).setValue(quantity(body, measure,
                    "diastolic_blood_pressure"));
            mapped.add("diastolic_blood_pressure");
        } else {
            Quantity value = quantity(body, measure, measure.property);
            obs.setValue(value);
            if (measure == Measure.BLOOD_GLUCOSE && "mmol/L".equals(value.getCode())) {
                obs.getCode().getCodingFirstRep().setCode("15074-8").setDisplay("Glucose [Moles/volume] in Blood");
                obs.getCode().setText("Glucose [Moles/volume] in Blood");
            }
        }
        if (measure == Measure.OXYGEN_SATURATION && body.has("supplemental_oxygen_flow_rate")) {
            JsonNode flow = body.get("supplemental_oxygen_flow_rate");
            if (!"L/min".equals(flow.path("unit").asText()) || !flow.path("value").isNumber()) {
                throw new PayloadException("TB-OMH-003", "'supplemental_oxygen_flow_rate' must be a number in L/min");
            }
            obs.addComponent().setCode(new CodeableConcept().addCoding(
                    new Coding(LOINC, "3151-8", "Inhaled oxygen flow rate"))).setValue(new Quantity()
                    .setValue(flow.get("value").decimalValue()).setUnit("L/min").setSystem(UCUM).setCode("L/min"));
            mapped.add("supplemental_oxygen_flow_rate");
        }
        obs.setEffective(effective(body.path("effective_time_frame")));
        created.ifPresent(d -> obs.setIssuedElement(new InstantType(d)));
        for (Map.Entry<String, Set<String>> e : ENUMERATIONS.entrySet()) {
            JsonNode value = body.get(e.getKey());
            if (value != null && !(value.isTextual() && e.getValue().contains(value.asText()))) {
                throw new PayloadException("TB-OMH-005", "'" + e.getKey() + "' must be one of: "
                        + String.join(", ", new java.util.TreeSet<>(e.getValue())));
            }
        }
        if (statistic) {
            obs.getMethod().setText(body.get("descriptive_statistic").asText() + " over the effective period");
        }
        collectUnmapped(body, "body", mapped, unmapped);
        return new Mapped(obs, unmapped, id);
    }

    private static Measure detect(JsonNode body) throws PayloadException {
        List<Measure> present = java.util.Arrays.stream(Measure.values()).filter(m -> body.has(m.property)).toList();
        if (present.size() != 1) {
            throw new PayloadException("TB-OMH-001", present.isEmpty()
                    ? "no supported Open mHealth measure: expected one of heart_rate, oxygen_saturation, "
                            + "systolic_blood_pressure, body_temperature, respiratory_rate, blood_glucose"
                    : "a body must hold exactly one measure, found several");
        }
        return present.get(0);
    }

    private static Quantity quantity(JsonNode body, Measure measure, String property) throws PayloadException {
        JsonNode node = body.path(property);
        JsonNode value = node.path("value");
        String ucum = measure.ucumByUnit.get(node.path("unit").asText(""));
        if (!node.isObject() || !value.isNumber()) {
            throw new PayloadException("TB-OMH-003", "'" + property + ".value' must be a number");
        }
        if (ucum == null) {
            throw new PayloadException("TB-OMH-003", "'" + property + ".unit' must be one of: "
                    + String.join(", ", new java.util.TreeSet<>(measure.ucumByUnit.keySet())));
        }
        BigDecimal number = value.decimalValue();
        return new Quantity().setValue(number).setUnit(ucum).setSystem(UCUM).setCode(ucum);
    }

    private static org.hl7.fhir.r4.model.Type effective(JsonNode frame) throws PayloadException {
        if (frame.isMissingNode()) {
            throw new PayloadException("TB-OMH-004", "'effective_time_frame' is required: a reading must say when "
                    + "it was taken");
        }
        if (frame.has("date_time")) {
            return new DateTimeType(dateTimeText(frame.get("date_time"), "effective_time_frame.date_time"));
        }
        JsonNode interval = frame.path("time_interval");
        if (!interval.isObject()) {
            throw new PayloadException("TB-OMH-004", "'effective_time_frame' must hold 'date_time' or "
                    + "'time_interval'");
        }
        JsonNode start = interval.get("start_date_time");
        JsonNode end = interval.get("end_date_time");
        Optional<Duration> duration = duration(interval.get("duration"));
        Period period = new Period();
        if (start != null && end != null) {
            period.setStartElement(new DateTimeType(dateTimeText(start, "time_interval.start_date_time")));
            period.setEndElement(new DateTimeType(dateTimeText(end, "time_interval.end_date_time")));
        } else if (start != null && duration.isPresent()) {
            period.setStartElement(new DateTimeType(dateTimeText(start, "time_interval.start_date_time")));
            period.setEnd(Date.from(period.getStart().toInstant().plus(duration.get())));
        } else if (end != null && duration.isPresent()) {
            period.setEndElement(new DateTimeType(dateTimeText(end, "time_interval.end_date_time")));
            period.setStart(Date.from(period.getEnd().toInstant().minus(duration.get())));
        } else {
            throw new PayloadException("TB-OMH-004", "'effective_time_frame.time_interval' needs start and end, "
                    + "or one of them and a duration");
        }
        return period;
    }

    private static Optional<Duration> duration(JsonNode node) throws PayloadException {
        if (node == null) {
            return Optional.empty();
        }
        Map<String, Duration> units = Map.of("ps", Duration.ofNanos(0), "ns", Duration.ofNanos(1),
                "us", Duration.ofNanos(1000), "ms", Duration.ofMillis(1), "sec", Duration.ofSeconds(1),
                "min", Duration.ofMinutes(1), "h", Duration.ofHours(1), "d", Duration.ofDays(1),
                "wk", Duration.ofDays(7));
        Duration unit = units.get(node.path("unit").asText(""));
        if (unit == null || !node.path("value").isNumber()) {
            throw new PayloadException("TB-OMH-004", "'time_interval.duration' must be a number with a unit "
                    + "(ms, sec, min, h, d, wk)");
        }
        return Optional.of(unit.multipliedBy(node.path("value").asLong()));
    }

    private static Date dateTime(JsonNode node, String name) throws PayloadException {
        return Date.from(OffsetDateTime.parse(dateTimeText(node, name)).toInstant());
    }

    private static String dateTimeText(JsonNode node, String name) throws PayloadException {
        if (node != null && node.isTextual()) {
            try {
                OffsetDateTime.parse(node.asText());
                return node.asText();
            } catch (DateTimeParseException e) {
                // reported below, without the value
            }
        }
        throw new PayloadException("TB-OMH-004", "'" + name + "' must be an ISO 8601 date-time with an offset");
    }

    private static void collectUnmapped(JsonNode object, String prefix, Set<String> mapped, List<String> unmapped) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!mapped.contains(name)) {
                unmapped.add(prefix + "." + name.replaceAll("[^A-Za-z0-9_\\-]", ""));
            }
        }
    }
}
