package com.example.twin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.pf4j.Extension;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.CodeFilter;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * A template twin: remembers each subject's first body weight and, for every later weight, emits the change
 * since then. Replace the model with yours; keep the shape.
 */
@Extension
public final class WeightChangeTwin implements TwinModel {

    /** Must equal {@code plugin.id} in the pom. */
    public static final String ID = "weight-change-twin";
    static final String BODY_WEIGHT = "29463-7";
    static final String FIRST_WEIGHT_KEY = "first-weight-kg";

    private final PluginManifest manifest = new PluginManifest(ID, version(), "Example Vendor",
            "Body-weight change since the first weight (template; not a medical device)",
            new DataRequest(Set.of("Observation"), Set.of(CodeFilter.loinc(BODY_WEIGHT)), Set.of("TREAT")),
            List.of(OutputKind.OBSERVATION));

    @Override
    public PluginManifest manifest() {
        return manifest;
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        Optional<Double> kg = weightKg(record);
        if (kg.isEmpty()) {
            return;
        }
        String subject = record.subject();
        Optional<String> first = context.state().get(subject, FIRST_WEIGHT_KEY);
        if (first.isEmpty()) {
            // State lives in the node's store: encrypted, and committed with this delivery.
            context.state().put(subject, FIRST_WEIGHT_KEY, Double.toString(kg.get()));
            return;
        }
        double change = kg.get() - Double.parseDouble(first.get());
        Observation output = new Observation();
        output.setStatus(Observation.ObservationStatus.FINAL);
        output.setCode(new CodeableConcept(new Coding("urn:example:weight-change-twin", "weight-change",
                "Body weight change since first weight")));
        output.setSubject(new Reference("Patient/" + subject)); // a pseudonym: you never see who it is
        output.setValue(new Quantity().setValue(BigDecimal.valueOf(change).setScale(1, RoundingMode.HALF_UP))
                .setSystem("http://unitsofmeasure.org").setCode("kg").setUnit("kg"));
        // The summary is for operators' screens and logs: no values, no identifiers.
        String summary = String.format(Locale.ROOT, "Weight %s since first weight", change < 0 ? "down" : "up");
        context.emit(new TwinOutput(subject, OutputKind.OBSERVATION, output, summary));
    }

    @Override
    public void onErase(String subject, TwinContext context) {
        context.state().delete(subject, FIRST_WEIGHT_KEY);
    }

    /** The weight in kg, if the record is a body-weight Observation in kg or g. */
    private static Optional<Double> weightKg(AuthorisedRecord record) {
        if (!(record.resource() instanceof Observation observation) || !observation.hasValueQuantity()
                || observation.getCode().getCoding().stream().noneMatch(
                        c -> CodeFilter.LOINC.equals(c.getSystem()) && BODY_WEIGHT.equals(c.getCode()))) {
            return Optional.empty();
        }
        Quantity value = observation.getValueQuantity();
        if (!value.hasValue()) {
            return Optional.empty();
        }
        if ("kg".equals(value.getCode())) {
            return Optional.of(value.getValue().doubleValue());
        }
        if ("g".equals(value.getCode())) {
            return Optional.of(value.getValue().doubleValue() / 1000);
        }
        return Optional.empty(); // an unknown unit: never guess
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = WeightChangeTwin.class.getResourceAsStream("twin.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "0.0.0");
    }
}
