package org.twinbridge.runtime.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.policy.decision.AccessRequest;

class PolicyReloaderTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String POLICY = """
            policy-set: { id: reload }
            rules:
              - id: vitals
                effect: %s
                recipients: [news2-twin]
                purposes: [TREAT]
                resource-types: [Observation]
                %s
            """;

    @TempDir
    Path dir;
    private PolicyHolder holder;
    private PolicyReloader reloader;
    private int edits;

    @BeforeEach
    void start() throws Exception {
        write(POLICY.formatted("permit", "project: { Observation: [code] }"));
        holder = new PolicyHolder(PolicyReloader.load(dir, FHIR));
        reloader = new PolicyReloader(dir, FHIR, holder, active -> { });
    }

    private void write(String text) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, text);
        // Make every edit visible to the change check, however fast the test runs.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(++edits)));
    }

    private boolean permitted() {
        return holder.decide(new AccessRequest("news2-twin", "TREAT", new Observation(), Set.of())).permitted();
    }

    @Test
    void checkNow_validChange_isActivatedAtomically() throws Exception {
        String before = holder.policyVersion();
        assertThat(permitted()).isTrue();

        write(POLICY.formatted("deny", ""));

        assertThat(reloader.checkNow()).isTrue();
        assertThat(holder.policyVersion()).isNotEqualTo(before);
        assertThat(permitted()).isFalse();
    }

    @Test
    void checkNow_invalidChange_isRejected_andTheOldVersionKeepsDeciding() throws Exception {
        String before = holder.policyVersion();

        write(POLICY.formatted("permit", "project: { Observation: [code, nonsense] }"));

        assertThat(reloader.checkNow()).isFalse();
        assertThat(reloader.lastErrors()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("TB-POLICY-007");
            assertThat(e.line()).isEqualTo(8);
        });
        assertThat(holder.policyVersion()).isEqualTo(before);
        assertThat(permitted()).isTrue();
    }

    @Test
    void checkNow_noChange_doesNothing() {
        assertThat(reloader.checkNow()).isFalse();
        assertThat(reloader.lastErrors()).isEmpty();
    }
}
