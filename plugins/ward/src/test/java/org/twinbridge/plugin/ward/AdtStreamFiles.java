package org.twinbridge.plugin.ward;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes a generated ADT stream as files: {@code adt-stream.hl7} (the HL7 v2 messages in arrival order, one per
 * CR-terminated block, blank line between messages, for MLLP replay) and {@code adt-stream.ndjson} (the
 * Encounters the connector maps them to, for {@code twinbridge twin run}).
 *
 * <p>Usage: {@code AdtStreamFiles OUT_DIR [SEED] [DAYS] [START]}.
 */
public final class AdtStreamFiles {

    private AdtStreamFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: AdtStreamFiles OUT_DIR [SEED] [DAYS] [START e.g. 2025-03-03T00:00:00Z]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 20250303L;
        int days = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Instant start = Instant.parse(args.length > 3 ? args[3] : "2025-03-03T00:00:00Z");
        AdtStreamGenerator.Stream stream = AdtStreamGenerator.generate(seed, start, days);
        Files.createDirectories(out);
        var json = FhirContext.forR4Cached().newJsonParser().setPrettyPrint(false);
        StringBuilder hl7 = new StringBuilder();
        StringBuilder ndjson = new StringBuilder();
        for (AdtStreamGenerator.Message m : stream.messages()) {
            hl7.append(m.hl7()).append('\n');
            ndjson.append(json.encodeResourceToString(m.encounter())).append('\n');
        }
        Files.writeString(out.resolve("adt-stream.hl7"), hl7, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("adt-stream.ndjson"), ndjson, StandardCharsets.UTF_8);
        System.out.println(stream.messages().size() + " messages over " + days + " days written to " + out);
    }
}
