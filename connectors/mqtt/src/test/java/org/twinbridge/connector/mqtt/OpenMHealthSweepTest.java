package org.twinbridge.connector.mqtt;

import org.twinbridge.testkit.SharedData;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.twinbridge.connector.support.PayloadException;

/**
 * Every Open mHealth sample of the six supported schemas in the shared corpus: each sample of the current
 * schema version behaves as the corpus says (shouldPass maps, shouldFail is a dead letter). For older versions,
 * every shouldFail sample is still rejected, and every shouldPass sample that gives a date-time maps. Older
 * samples without one (no time at all, or the 1.0 {@code date} plus {@code part_of_day} interval that the current
 * schemas reject) are dead letters, as the current schemas say.
 */
class OpenMHealthSweepTest {

    private static final Map<String, String> CURRENT = Map.of("heart-rate", "2.0", "oxygen-saturation", "2.0",
            "blood-pressure", "4.0", "body-temperature", "4.0", "respiratory-rate", "2.0", "blood-glucose", "4.0");
    private final PayloadMapper mapper = new PayloadMapper("wards", MqttSettings.Format.OPENMHEALTH, "urn:x");

    @Test
    void everySupportedSchemaSample_behavesAsTheCorpusSays() throws IOException {
        Path omh = SharedData.require("devices/openmhealth-schemas-test-data/omh");
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String schema : CURRENT.keySet()) {
            try (Stream<Path> files = Files.walk(omh.resolve(schema))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    String version = file.getParent().getParent().getFileName().toString();
                    boolean shouldPass = file.getParent().getFileName().toString().equals("shouldPass");
                    byte[] bytes = Files.readAllBytes(file);
                    boolean hasTime = new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                            .contains("date_time\"");
                    boolean current = version.equals(CURRENT.get(schema));
                    Optional<String> failure = attempt(bytes);
                    checked++;
                    if (shouldPass && (current || hasTime) && failure.isPresent()) {
                        wrong.add(omh.relativize(file) + " should map but failed: " + failure.get());
                    } else if (!shouldPass && failure.isEmpty()) {
                        wrong.add(omh.relativize(file) + " should fail but mapped");
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(wrong).isEmpty();
    }

    private Optional<String> attempt(byte[] bytes) {
        try {
            mapper.map(bytes, Optional.of("device-1"));
            return Optional.empty();
        } catch (PayloadException e) {
            return Optional.of(e.getMessage());
        }
    }
}
