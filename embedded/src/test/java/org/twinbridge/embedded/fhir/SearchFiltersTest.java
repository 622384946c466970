package org.twinbridge.embedded.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SearchFiltersTest {

    private static final Instant UPDATED = Instant.parse("2025-01-02T03:04:05.678Z");

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource({
            // millisecond precision: the parameter is that millisecond
            "gt2025-01-02T03:04:05.677Z, true",
            "gt2025-01-02T03:04:05.678Z, false",
            "ge2025-01-02T03:04:05.678Z, true",
            "ge2025-01-02T03:04:05.679Z, false",
            "lt2025-01-02T03:04:05.679Z, true",
            "lt2025-01-02T03:04:05.678Z, false",
            "le2025-01-02T03:04:05.678Z, true",
            "le2025-01-02T03:04:05.677Z, false",
            "eq2025-01-02T03:04:05.678Z, true",
            "2025-01-02T03:04:05.678Z, true",
            "ne2025-01-02T03:04:05.678Z, false",
            "sa2025-01-02T03:04:05.677Z, true",
            "eb2025-01-02T03:04:05.679Z, true",
            // second precision: the parameter is the whole second
            "gt2025-01-02T03:04:05Z, false",
            "gt2025-01-02T03:04:04Z, true",
            "ge2025-01-02T03:04:05Z, true",
            "lt2025-01-02T03:04:05Z, false",
            "le2025-01-02T03:04:05Z, true",
            "eq2025-01-02T03:04:05Z, true",
            "eq2025-01-02T03:04:06Z, false",
    })
    void dateParam_truthTable(String param, boolean expected) {
        assertThat(SearchFilters.matches(new DateParam(param), UPDATED)).isEqualTo(expected);
    }

    @Test
    void patientReference_matchesSubjectOrPatientElement_byIdAndType() {
        Observation observation = new Observation().setSubject(new Reference("Patient/p1"));
        Immunization immunization = new Immunization().setPatient(new Reference("Patient/p1"));
        Observation ofGroup = new Observation().setSubject(new Reference("Group/p1"));

        assertThat(SearchFilters.references(new ReferenceParam("p1"), "Patient", "subject", "patient")
                .test(observation)).isTrue();
        assertThat(SearchFilters.references(new ReferenceParam("Patient/p1"), "Patient", "subject", "patient")
                .test(immunization)).isTrue();
        assertThat(SearchFilters.references(new ReferenceParam("p2"), "Patient", "subject", "patient")
                .test(observation)).isFalse();
        assertThat(SearchFilters.references(new ReferenceParam("p1"), "Patient", "subject", "patient")
                .test(ofGroup)).isFalse();
    }

    @Test
    void chainedReference_isRejectedWithAHint() {
        assertThatThrownBy(() -> SearchFilters.references(new ReferenceParam("name", "Smith"), "Patient", "subject"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("TB-EMBED-FHIR-011 chained reference search '.name'");
    }
}
