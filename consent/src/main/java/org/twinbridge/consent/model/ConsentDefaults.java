package org.twinbridge.consent.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * What applies when none of a patient's consents speaks to an access: an effect per purpose of use
 * (configuration {@code consent.defaults}). A purpose without an entry takes the entry of its nearest ancestor
 * in the PurposeOfUse hierarchy (ETREAT takes TREAT's), and a purpose with neither is denied: opt-in is the
 * default default.
 *
 * @param byPurpose PurposeOfUse code to effect
 */
public record ConsentDefaults(Map<String, Effect> byPurpose) {

    public ConsentDefaults {
        byPurpose = Map.copyOf(byPurpose);
    }

    /** Deny for every purpose. */
    public static ConsentDefaults denyAll() {
        return new ConsentDefaults(Map.of());
    }

    /** The effect for a purpose, and where it came from. */
    public Resolved resolve(String purpose) {
        for (String code = purpose; code != null; code = PurposeHierarchy.parent(code).orElse(null)) {
            Effect effect = byPurpose.get(code);
            if (effect != null) {
                return new Resolved(effect, code.equals(purpose) ? "the default for purpose " + purpose + " is "
                        + name(effect) : "the default for purpose " + purpose + " (from " + code + ") is "
                        + name(effect));
            }
        }
        return new Resolved(Effect.DENY, "no default is configured for purpose " + purpose + ", so it is deny");
    }

    private static String name(Effect effect) {
        return effect == Effect.PERMIT ? "permit" : "deny";
    }

    @Override
    public String toString() {
        return "ConsentDefaults" + new TreeMap<>(byPurpose);
    }

    /**
     * A resolved default.
     *
     * @param explanation for reasons, e.g. "the default for purpose TREAT is permit"
     */
    public record Resolved(Effect effect, String explanation) {
    }
}
