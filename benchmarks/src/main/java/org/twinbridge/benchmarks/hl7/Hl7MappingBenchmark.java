package org.twinbridge.benchmarks.hl7;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.twinbridge.benchmarks.ThroughputBenchmark;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageMapper;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageType;
import org.twinbridge.connector.hl7v2.internal.mapping.MappingOptions;
import org.twinbridge.connector.hl7v2.internal.wire.MshHeader;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * HL7 v2 to FHIR: one message mapped to its records exactly as the hl7v2 connector maps it (header read, parse
 * into HAPI's v2.8 model, map by type), for the demo's lab results and registration (real messages, see the
 * runtime's demo NOTICE). Yardstick: {@code encodeRecords}, serialising the records the mapping produced to FHIR
 * JSON, which every record pays once on its way into the journal anyway.
 */
public class Hl7MappingBenchmark extends ThroughputBenchmark {

    @Param({"msft_ORU-R01-RMGEAD.hl7", "msft_LAB-ORU-1.hl7", "msft_ADT04-23.hl7"})
    public String message;

    private MessageMapper mapper;
    private MshHeader header;
    private MessageType type;
    private String text;
    private List<CanonicalRecord> mapped;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        try (InputStream in = Hl7MappingBenchmark.class.getClassLoader().getResourceAsStream("demo/hl7v2/" + message)) {
            if (in == null) {
                throw new IOException("missing demo/hl7v2/" + message);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        header = MshHeader.read(text).orElseThrow();
        type = MessageType.of(header.messageCode(), header.triggerEvent()).orElseThrow();
        mapper = new MessageMapper(new MappingOptions("lab", Map.of(), Optional.empty(), ZoneId.of("UTC")));
        mapped = map();
        if (mapped.isEmpty()) {
            throw new IllegalStateException(message + " mapped to no records");
        }
    }

    @Benchmark
    public List<CanonicalRecord> map() throws Exception {
        return mapper.map(MshHeader.read(text).orElseThrow(), text, type);
    }

    @Benchmark
    public int encodeRecords() {
        int length = 0;
        var parser = FhirContext.forR4Cached().newJsonParser();
        for (CanonicalRecord record : mapped) {
            length += parser.encodeResourceToString(record.resource()).length();
        }
        return length;
    }
}
