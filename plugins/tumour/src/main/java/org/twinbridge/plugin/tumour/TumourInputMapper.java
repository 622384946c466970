package org.twinbridge.plugin.tumour;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads tumour measurements and chemotherapy administrations from FHIR R4 resources. Stateless and
 * thread-safe. Nothing is guessed: an unknown code, unit or drug, a comparator, or a record entered in error
 * gives no input.
 */
final class TumourInputMapper {

    static final String LOINC = "http://loinc.org";
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    /** 21889-1 Size Tumor; 33728-7 Size.maximum dimension in Tumor. Both read as the longest diameter. */
    static final Set<String> SIZE_CODES = Set.of("21889-1", "33728-7");
    static final String NO_SITE = "-";

    private final RegimenCatalogue catalogue;

    TumourInputMapper(RegimenCatalogue catalogue) {
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    }

    Optional<TumourInput> map(Resource resource) {
        if (resource instanceof Observation observation) {
            return measurement(observation);
        }
        if (resource instanceof MedicationAdministration administration) {
            return administration(administration);
        }
        return Optional.empty();
    }

    private Optional<TumourInput> measurement(Observation observation) {
        if (observation.getStatus() == Observation.ObservationStatus.ENTEREDINERROR
                || observation.getStatus() == Observation.ObservationStatus.CANCELLED
                || !observation.hasValueQuantity()
                || observation.getCode().getCoding().stream().noneMatch(
                        c -> LOINC.equals(c.getSystem()) && SIZE_CODES.contains(c.getCode()))) {
            return Optional.empty();
        }
        Optional<Double> mm = millimetres(observation.getValueQuantity());
        return mm.map(size -> new TumourInput.Measurement(site(observation.getBodySite()), size));
    }

    private Optional<TumourInput> administration(MedicationAdministration administration) {
        if (administration.getStatus() != MedicationAdministration.MedicationAdministrationStatus.COMPLETED
                || !administration.hasMedicationCodeableConcept() || !administration.getDosage().hasDose()) {
            return Optional.empty();
        }
        CodeableConcept medication = administration.getMedicationCodeableConcept();
        Set<String> rxnorm = medication.getCoding().stream().filter(c -> RXNORM.equals(c.getSystem()))
                .map(Coding::getCode).filter(Objects::nonNull).collect(Collectors.toSet());
        StringBuilder words = new StringBuilder(medication.hasText() ? medication.getText() : "");
        medication.getCoding().forEach(c -> words.append(' ').append(c.hasDisplay() ? c.getDisplay() : ""));
        Quantity dose = administration.getDosage().getDose();
        return catalogue.identify(rxnorm, words.toString())
                .filter(drug -> dose.hasValue() && !dose.hasComparator() && drug.unit().toLowerCase(Locale.ROOT).equals(unit(dose)))
                .filter(drug -> dose.getValue().doubleValue() > 0)
                .map(drug -> new TumourInput.Administration(drug.name(), dose.getValue().doubleValue()));
    }

    private static Optional<Double> millimetres(Quantity quantity) {
        if (!quantity.hasValue() || quantity.hasComparator()) {
            return Optional.empty();
        }
        double value = quantity.getValue().doubleValue();
        if (!(value > 0)) {
            return Optional.empty();
        }
        switch (unit(quantity)) {
            case "mm":
                return Optional.of(value);
            case "cm":
                return Optional.of(value * 10);
            default:
                return Optional.empty();
        }
    }

    private static String unit(Quantity quantity) {
        String unit = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
        return unit == null ? "" : unit.strip().toLowerCase(Locale.ROOT);
    }

    /** A lesion's key: its body site's first coding as system|code, else its text, else {@value #NO_SITE}. */
    static String site(CodeableConcept bodySite) {
        if (bodySite == null || bodySite.isEmpty()) {
            return NO_SITE;
        }
        for (Coding coding : bodySite.getCoding()) {
            if (coding.hasCode()) {
                return (coding.hasSystem() ? coding.getSystem() : "") + "|" + coding.getCode();
            }
        }
        return bodySite.hasText() && !bodySite.getText().isBlank()
                ? bodySite.getText().strip().toLowerCase(Locale.ROOT) : NO_SITE;
    }
}
