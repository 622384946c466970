package org.twinbridge.plugin.tumour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegimenCatalogueTest {

    @Test
    void bundledCatalogue_holdsTheDocumentedRegimens() {
        RegimenCatalogue catalogue = RegimenCatalogue.bundled();

        assertThat(catalogue.regimens()).extracting(Regimen::id)
                .containsExactly("docetaxel-q3w", "paclitaxel-weekly", "ac-q3w");
        Regimen ac = catalogue.regimens().get(2);
        assertThat(ac.components()).extracting(c -> c.drug().name()).containsExactly("doxorubicin",
                "cyclophosphamide");
        assertThat(ac.description()).isEqualTo(
                "Doxorubicin 60 mg/m2; with cyclophosphamide 600 mg/m2 every 3 weeks, 4 cycles");
        assertThat(catalogue.drug("docetaxel")).hasValueSatisfying(d -> {
            assertThat(d.referenceDose()).isEqualTo(75.0);
            assertThat(d.unit()).isEqualTo("mg/m2");
            assertThat(d.rxnormCodes()).containsExactly("72962");
        });
    }

    @Test
    void regimen_dosesFollowItsSchedule() {
        Regimen docetaxel = RegimenCatalogue.bundled().regimens().get(0);
        List<Exposure.Dose> doses = docetaxel.doses(10);
        assertThat(doses).extracting(Exposure.Dose::day).containsExactly(10.0, 31.0, 52.0, 73.0, 94.0, 115.0);
        assertThat(doses).extracting(Exposure.Dose::relativeDose).containsOnly(1.0);
        assertThat(Regimen.UNTREATED.doses(10)).isEmpty();
    }

    @Test
    void parse_reportsTheFileAndLineOfAnError() {
        assertThatThrownBy(() -> RegimenCatalogue.parse("mine.txt", "drug x 1 mg 1 1\nregimen r y 1 7 2\n"))
                .hasMessage("TB-TUMOUR-002: mine.txt:2: drug 'y' is not defined above; known: [x]");
        assertThatThrownBy(() -> RegimenCatalogue.parse("mine.txt", "# comment\n\ndrug x one mg 1 1\n"))
                .hasMessage("TB-TUMOUR-002: mine.txt:3: 'one' is not a number");
        assertThatThrownBy(() -> RegimenCatalogue.parse("mine.txt", "dose x\n"))
                .hasMessageStartingWith("TB-TUMOUR-002: mine.txt:1: unknown entry 'dose'");
    }
}
