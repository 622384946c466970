package org.twinbridge.connector.hl7v2.internal.mapping;

import java.io.InputStream;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;

/**
 * Whether a unit is a valid UCUM expression (UCUM essence from the {@code org.fhir:ucum} library). A unit sent
 * without a coding system is coded as UCUM only when it is valid UCUM, so {@code mg/dL} gets a UCUM code and
 * {@code tera.l-1} stays text.
 */
final class Ucum {

    private static final UcumEssenceService SERVICE = load();

    private Ucum() {
    }

    static boolean isValid(String unit) {
        if (SERVICE == null || unit.isBlank()) {
            return false;
        }
        synchronized (SERVICE) {
            try {
                return SERVICE.validate(unit) == null;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    private static UcumEssenceService load() {
        try (InputStream essence = Ucum.class.getClassLoader().getResourceAsStream("ucum-essence.xml")) {
            return essence == null ? null : new UcumEssenceService(essence);
        } catch (UcumException | java.io.IOException e) {
            return null;
        }
    }
}
