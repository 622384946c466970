package org.twinbridge.plugin.implant;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped device records are what the generator writes (so a change of code or model reaches both), compared
 * reading by reading: code, time, value and unit (the time as an instant, whatever the machine's zone).
 */
class DeviceTraceFilesTest {

    private static final IParser JSON = FhirContext.forR4Cached().newJsonParser();

    @TempDir
    Path out;

    @ParameterizedTest
    @ValueSource(strings = {"implant-fracture.ndjson", "implant-eri.ndjson"})
    void shippedRecords_areWhatTheGeneratorWrites(String file) throws IOException, URISyntaxException {
        DeviceTraceFiles.main(new String[] {out.toString()});

        List<String> generated = readings(out.resolve(file));
        List<String> shipped = readings(Path.of(DeviceTraceFilesTest.class.getClassLoader()
                .getResource("records/" + file).toURI()));
        assertThat(shipped).isNotEmpty().containsExactlyElementsOf(generated);
    }

    @ParameterizedTest
    @ValueSource(strings = {"implant-fracture.ndjson", "implant-eri.ndjson"})
    void everyShippedReading_isCodedInMdc(String file) throws IOException, URISyntaxException {
        Path path = Path.of(DeviceTraceFilesTest.class.getClassLoader().getResource("records/" + file).toURI());
        assertThat(Files.readAllLines(path, StandardCharsets.UTF_8)).allSatisfy(line -> assertThat(
                ((Observation) JSON.parseResource(line)).getCode().getCodingFirstRep().getSystem())
                .isEqualTo(Measure.MDC));
    }

    private static List<String> readings(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(line -> {
            Observation o = (Observation) JSON.parseResource(line);
            return o.getCode().getCodingFirstRep().getSystem() + "|" + o.getCode().getCodingFirstRep().getCode()
                    + "|" + o.getCode().getCodingFirstRep().getDisplay() + "|" + o.getSubject().getReference()
                    + "|" + o.getDevice().getReference() + "|" + o.getEffectiveDateTimeType().getValue().toInstant()
                    + "|" + o.getValueQuantity().getValue().toPlainString() + "|" + o.getValueQuantity().getCode();
        }).toList();
    }
}
