package org.twinbridge.plugin.tumour;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;

class TumourInputMapperTest {

    private final TumourInputMapper mapper = new TumourInputMapper(RegimenCatalogue.bundled());

    @Test
    void sizeTumor_inMillimetresOrCentimetres_isALesionMeasurement() {
        assertThat(mapper.map(Records.size("23", "mm"))).contains(new TumourInput.Measurement("-", 23));
        assertThat(mapper.map(Records.size("2.3", "cm"))).contains(new TumourInput.Measurement("-", 23));
        Observation maximum = Records.size("31", "mm");
        maximum.setCode(new CodeableConcept(new Coding("http://loinc.org", "33728-7", null)));
        assertThat(mapper.map(maximum)).contains(new TumourInput.Measurement("-", 31));
    }

    @Test
    void aBodySite_namesTheLesion() {
        assertThat(mapper.map(Records.lesion("14", "10200004")))
                .contains(new TumourInput.Measurement("http://snomed.info/sct|10200004", 14));
        Observation textual = Records.size("9", "mm");
        textual.setBodySite(new CodeableConcept().setText(" Right Lung "));
        assertThat(mapper.map(textual)).contains(new TumourInput.Measurement("right lung", 9));
    }

    @Test
    void nothingIsGuessed() {
        assertThat(mapper.map(Records.size("23", "[in_i]"))).as("unknown unit").isEmpty();
        assertThat(mapper.map(Records.size("0", "mm"))).as("zero").isEmpty();
        Observation below = Records.size("5", "mm");
        below.getValueQuantity().setComparator(Quantity.QuantityComparator.LESS_THAN);
        assertThat(mapper.map(below)).as("a comparator").isEmpty();
        Observation wrong = Records.size("23", "mm");
        wrong.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
        assertThat(mapper.map(wrong)).as("entered in error").isEmpty();
        Observation other = Records.size("23", "mm");
        other.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", null)));
        assertThat(mapper.map(other)).as("another code").isEmpty();
    }

    @Test
    void administrations_ofCatalogueDrugs_inTheDrugsUnit_areRead() {
        assertThat(mapper.map(Records.dose("Docetaxel 20 MG/ML injection", null, "75", "mg/m2")))
                .contains(new TumourInput.Administration("docetaxel", 75));
        assertThat(mapper.map(Records.dose("Taxotere", "72962", "60", "mg/m2")))
                .as("by RxNorm ingredient").contains(new TumourInput.Administration("docetaxel", 60));
        assertThat(mapper.map(Records.dose("Docetaxel", null, "140", "mg"))).as("another unit").isEmpty();
        assertThat(mapper.map(Records.dose("Ondansetron", null, "8", "mg"))).as("not in the catalogue").isEmpty();
    }
}
