package org.twinbridge.connector.mqtt;

import org.twinbridge.testkit.SharedData;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.twinbridge.connector.support.PayloadException;
import org.twinbridge.sdk.model.CanonicalRecord;

/** Every HL7 Personal Health Device IG example in the shared corpus maps to records, and vital signs get LOINC. */
class PhdSweepTest {

    private final PayloadMapper mapper = new PayloadMapper("wards", MqttSettings.Format.FHIR, "urn:x");

    @Test
    void everyPhdExample_mapsAndVitalSignsCarryLoincAndCategory() throws IOException {
        Path phd = SharedData.require("devices/hl7-phd-fhir-r4");
        List<String> wrong = new ArrayList<>();
        int records = 0;
        int vitalSigns = 0;
        try (Stream<Path> files = Files.list(phd)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                try {
                    for (CanonicalRecord record : mapper.map(Files.readAllBytes(file), Optional.of("gw"))) {
                        records++;
                        if (record.resource() instanceof Observation obs && obs.getCategory().stream()
                                .anyMatch(c -> c.getCodingFirstRep().getCode().equals("vital-signs"))) {
                            vitalSigns++;
                            if (obs.getCode().getCoding().stream()
                                    .noneMatch(c -> "http://loinc.org".equals(c.getSystem()))) {
                                wrong.add(file.getFileName() + ": vital sign without LOINC");
                            }
                        }
                    }
                } catch (PayloadException e) {
                    wrong.add(file.getFileName() + ": " + e.getMessage());
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(records).isGreaterThan(29);
        assertThat(vitalSigns).isGreaterThan(3);
    }
}
