package org.twinbridge.plugin.tumour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecistCategoryTest {

    @ParameterizedTest(name = "baseline {0}, nadir {1}, now {2} -> {3}")
    @CsvSource({
            // partial response: at least 30% below baseline
            "100, 100, 70,    PR",
            "100, 100, 70.04, PR",   // recorded as 70.0 mm
            "100, 100, 70.1,  SD",
            "57,  57,  39.9,  PR",   // 39.9 = 0.7 x 57 exactly
            "57,  57,  40,    SD",
            // progressive disease: at least 20% above the nadir and at least 5 mm
            "100, 100, 120,   PD",
            "100, 100, 119.9, SD",
            "20,  20,  25,    PD",   // +25% and +5 mm
            "20,  20,  24.9,  SD",   // +24.5% but only 4.9 mm
            "10,  10,  14.9,  SD",   // +49% but only 4.9 mm
            "10,  10,  15,    PD",
            "100, 40,  48,    PD",   // 52% below baseline, but 20% and 8 mm above the nadir: PD wins over PR
            "100, 40,  47.9,  PR",   // 19.75% above the nadir is not PD; 52.1% below baseline is PR
            "100, 50,  60,    PD",
            "100, 50,  59.9,  PR",   // under 20% above nadir, 40.1% below baseline
            // complete response: below 2 mm is gone
            "100, 100, 1.9,   CR",
            "100, 100, 2.0,   PR",
            "30,  30,  30,    SD",
            "30,  0,   4.9,   PR",   // gone, then back by less than 5 mm: still 30% under baseline
            "30,  0,   5,     PD",   // gone, then back by 5 mm
    })
    void category_atTheRecistBoundaries(double baseline, double nadir, double now, RecistCategory expected) {
        assertThat(RecistCategory.of(baseline, nadir, now)).isEqualTo(expected);
    }

    @Test
    void category_needsAPositiveBaselineAndANadirNotAboveIt() {
        assertThatThrownBy(() -> RecistCategory.of(0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecistCategory.of(10, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecistCategory.of(10, 12, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
