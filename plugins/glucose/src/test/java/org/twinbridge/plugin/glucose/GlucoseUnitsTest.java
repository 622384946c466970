package org.twinbridge.plugin.glucose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlucoseUnitsTest {

    private static Quantity quantity(String value, String ucum) {
        return new Quantity().setValue(new BigDecimal(value)).setSystem("http://unitsofmeasure.org").setCode(ucum);
    }

    @ParameterizedTest(name = "{0} {1} = {2} mg/dL")
    @CsvSource({"100, mg/dL, 100", "100, mg/dl, 100", "5.5, mmol/L, 99.088", "10, mmol/l, 180.16",
            "3.9, mmol/L, 70.2624", "1, mmol/L, 18.016"})
    void glucose_convertsMmolPerLitreAtEighteenPointZeroOneSix(String value, String unit, double mgPerDl) {
        assertThat(GlucoseUnits.glucoseMgPerDl(quantity(value, unit)).orElseThrow()).isCloseTo(mgPerDl,
                within(1e-9));
    }

    @Test
    void glucose_roundTripsBetweenUnits() {
        assertThat(GlucoseUnits.mmolPerL(GlucoseUnits.glucoseMgPerDl(quantity("7.3", "mmol/L")).orElseThrow()))
                .isCloseTo(7.3, within(1e-12));
    }

    @Test
    void glucose_readsTheUnitTextWhenThereIsNoCode() {
        Quantity quantity = new Quantity().setValue(new BigDecimal("6")).setUnit("mmol/L");
        assertThat(GlucoseUnits.glucoseMgPerDl(quantity).orElseThrow()).isCloseTo(108.096, within(1e-9));
    }

    @Test
    void glucose_inAnUnknownUnit_orWithAComparator_orNegative_isNotRead() {
        assertThat(GlucoseUnits.glucoseMgPerDl(quantity("100", "g/L"))).isEmpty();
        assertThat(GlucoseUnits.glucoseMgPerDl(quantity("40", "mg/dL")
                .setComparator(Quantity.QuantityComparator.LESS_THAN))).isEmpty();
        assertThat(GlucoseUnits.glucoseMgPerDl(quantity("-1", "mg/dL"))).isEmpty();
        assertThat(GlucoseUnits.glucoseMgPerDl(new Quantity())).isEmpty();
    }

    @Test
    void hba1c_readsNgspPercent_andConvertsIfccMillimolesPerMole() {
        assertThat(GlucoseUnits.hba1cPercent(quantity("7.0", "%")).orElseThrow()).isEqualTo(7.0);
        // IFCC 53 mmol/mol is NGSP 7.0% (0.09148 x 53 + 2.152 = 7.00044)
        assertThat(GlucoseUnits.hba1cPercent(quantity("53", "mmol/mol")).orElseThrow()).isCloseTo(7.0,
                within(0.001));
        assertThat(GlucoseUnits.hba1cPercent(quantity("7", "mg/dL"))).isEmpty();
    }

    @Test
    void carbsAndInsulin_needTheirUnits() {
        assertThat(GlucoseUnits.grams(quantity("45", "g")).orElseThrow()).isEqualTo(45.0);
        assertThat(GlucoseUnits.grams(quantity("45", "kcal"))).isEmpty();
        assertThat(GlucoseUnits.insulinUnits(quantity("4", "U")).orElseThrow()).isEqualTo(4.0);
        assertThat(GlucoseUnits.insulinUnits(quantity("4", "[iU]")).orElseThrow()).isEqualTo(4.0);
        assertThat(GlucoseUnits.insulinUnits(quantity("4", "mL"))).isEmpty();
    }
}
