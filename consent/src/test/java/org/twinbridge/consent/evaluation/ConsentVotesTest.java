package org.twinbridge.consent.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.twinbridge.consent.model.ConsentDefaults;
import org.twinbridge.consent.model.Effect;

/** The one reduction: deny-overrides over the consents that apply, else the per-purpose default. */
class ConsentVotesTest {

    private static final ConsentDefaults DEFAULTS = new ConsentDefaults(Map.of("TREAT", Effect.PERMIT,
            "HRESCH", Effect.DENY));

    private static ConsentVote vote(String code, int n) {
        return switch (code) {
            case "P" -> new ConsentVote.Applies(new ConsentCitation("Consent/p" + n + " v1 (ehr)", "Consent/p" + n, 1,
                    "provision", Effect.PERMIT, "everything in scope"));
            case "D" -> new ConsentVote.Applies(new ConsentCitation("Consent/d" + n + " v2 (ehr)", "Consent/d" + n, 2,
                    "provision.provision[0]", Effect.DENY, "class Observation"));
            case "A" -> new ConsentVote.Abstains("Consent/a" + n + " v1 (ehr)", "its status is inactive");
            default -> throw new IllegalArgumentException(code);
        };
    }

    @ParameterizedTest(name = "[{0}] for {1} -> {2} (from {3})")
    @CsvSource(delimiter = '|', value = {
        // votes  | purpose | decision | deciding
        "''       | TREAT   | permit   | default",
        "''       | HRESCH  | deny     | default",
        "''       | PUBHLTH | deny     | default",
        "''       | ETREAT  | permit   | default",
        "A        | TREAT   | permit   | default",
        "A A      | HRESCH  | deny     | default",
        "P        | HRESCH  | permit   | p1",
        "D        | TREAT   | deny     | d1",
        "P D      | TREAT   | deny     | d2",
        "D P      | HRESCH  | deny     | d1",
        "P A P    | HRESCH  | permit   | p1 p3",
        "D A D P  | TREAT   | deny     | d1 d3",
        "A P      | PUBHLTH | permit   | p2",
    })
    void combine_truthTable(String votes, String purpose, String decision, String deciding) {
        List<ConsentVote> list = new ArrayList<>();
        String[] codes = votes.isBlank() ? new String[0] : votes.trim().split(" +");
        for (int i = 0; i < codes.length; i++) {
            list.add(vote(codes[i], i + 1));
        }

        ConsentDecision result = ConsentVotes.combine(list, purpose, DEFAULTS);

        assertThat(result.permitted() ? "permit" : "deny").isEqualTo(decision);
        assertThat(result.byDefault()).isEqualTo(deciding.equals("default"));
        if (!deciding.equals("default")) {
            assertThat(result.basis()).extracting(c -> c.consentId().substring("Consent/".length()))
                    .containsExactly(deciding.split(" "));
        }
    }

    @Test
    void combine_reasonNamesEveryDecidingConsentWithVersionAndPath() {
        ConsentDecision result = ConsentVotes.combine(List.of(vote("D", 1), vote("P", 2), vote("D", 3)), "TREAT",
                DEFAULTS);

        assertThat(result.reason()).isEqualTo("Consent/d1 v2 (ehr) provision.provision[0] denies class Observation; "
                + "Consent/d3 v2 (ehr) provision.provision[0] denies class Observation");
    }

    @Test
    void combine_byDefault_saysSoAndNamesThePurpose() {
        assertThat(ConsentVotes.combine(List.of(), "ETREAT", DEFAULTS).reason())
                .isEqualTo("the patient has no consent on file; the default for purpose ETREAT (from TREAT) is permit");
        assertThat(ConsentVotes.combine(List.of(vote("A", 1)), "HRESCH", DEFAULTS).reason())
                .isEqualTo("none of the patient's 1 consent(s) applies; the default for purpose HRESCH is deny");
        assertThat(ConsentVotes.combine(List.of(), "TREAT", ConsentDefaults.denyAll()).reason())
                .isEqualTo("the patient has no consent on file; no default is configured for purpose TREAT, so it is "
                        + "deny");
    }
}
