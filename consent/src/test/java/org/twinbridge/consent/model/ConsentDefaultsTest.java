package org.twinbridge.consent.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsentDefaultsTest {

    private static final ConsentDefaults DEFAULTS = new ConsentDefaults(Map.of("TREAT", Effect.PERMIT,
            "HRESCH", Effect.DENY, "ETREAT", Effect.DENY));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"TREAT, PERMIT", "COC, PERMIT", "ETREAT, DENY", "BTG, DENY", "HRESCH, DENY", "CLINTRCHPC, DENY",
        "PUBHLTH, DENY", "NOT-A-CODE, DENY"})
    void resolve_takesTheNearestConfiguredAncestor_elseDeny(String purpose, Effect expected) {
        assertThat(DEFAULTS.resolve(purpose).effect()).isEqualTo(expected);
    }

    @Test
    void denyAll_deniesEveryPurpose() {
        assertThat(ConsentDefaults.denyAll().resolve("TREAT").effect()).isEqualTo(Effect.DENY);
    }

    @Test
    void settings_pluginWithoutActorEntry_isKnownAsADevice() {
        ConsentSettings settings = new ConsentSettings(DEFAULTS, Map.of("glucose-twin",
                java.util.List.of("Device/glucose-twin", "Organization/acme")), Map.of("ehr", "Organization/f001"));

        assertThat(settings.actorsOf("news2-twin")).containsExactly("Device/news2-twin");
        assertThat(settings.actorsOf("glucose-twin")).containsExactlyInAnyOrder("Device/glucose-twin",
                "Organization/acme");
        assertThat(settings.custodianOf("ehr")).hasValue("Organization/f001");
        assertThat(settings.custodianOf("lab")).isEmpty();
    }
}
