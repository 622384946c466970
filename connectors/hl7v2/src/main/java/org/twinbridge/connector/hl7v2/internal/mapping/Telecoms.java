package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.model.Type;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointUse;

/**
 * XTN to ContactPoint. The value is the e-mail address (XTN-4), else the unformatted number (XTN-12), else the
 * number built from country code, area code, local number and extension (XTN-5 to 8), else the formatted text
 * (XTN-1, deprecated but the only part many feeds send). Use from XTN-2 (table 0201) when given, else the
 * field's default; system from XTN-3 (table 0202).
 */
final class Telecoms {

    private Telecoms() {
    }

    static Optional<ContactPoint> contactPoint(Type xtn, ContactPointUse defaultUse) {
        String equipment = Fields.get(xtn, 3).toUpperCase(Locale.ROOT);
        String email = Fields.get(xtn, 4);
        String value = !email.isEmpty() ? email : number(xtn);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        ContactPoint point = new ContactPoint().setValue(value);
        if (!email.isEmpty() || equipment.equals("INTERNET") || equipment.equals("X.400")
                || Fields.get(xtn, 2).equalsIgnoreCase("NET")) {
            point.setSystem(ContactPointSystem.EMAIL);
        } else {
            switch (equipment) {
                case "FX" -> point.setSystem(ContactPointSystem.FAX);
                case "BP" -> point.setSystem(ContactPointSystem.PAGER);
                // Without an equipment type the field itself (home or business phone) says it is a phone.
                case "PH", "CP", "TDD", "TTY", "SAT", "" -> point.setSystem(ContactPointSystem.PHONE);
                default -> point.setSystem(ContactPointSystem.OTHER);
            }
        }
        ContactPointUse use = switch (Fields.get(xtn, 2).toUpperCase(Locale.ROOT)) {
            case "PRN", "ORN", "VHN" -> ContactPointUse.HOME;
            case "WPN" -> ContactPointUse.WORK;
            case "PRS" -> ContactPointUse.MOBILE;
            default -> defaultUse;
        };
        if (equipment.equals("CP")) {
            use = ContactPointUse.MOBILE;
        }
        if (use != null) {
            point.setUse(use);
        }
        return Optional.of(point);
    }

    private static String number(Type xtn) {
        String unformatted = Fields.get(xtn, 12);
        if (!unformatted.isEmpty()) {
            return unformatted;
        }
        String local = Fields.get(xtn, 7);
        if (!local.isEmpty()) {
            StringBuilder number = new StringBuilder();
            if (!Fields.get(xtn, 5).isEmpty()) {
                number.append('+').append(Fields.get(xtn, 5)).append(' ');
            }
            if (!Fields.get(xtn, 6).isEmpty()) {
                number.append('(').append(Fields.get(xtn, 6)).append(") ");
            }
            number.append(local);
            if (!Fields.get(xtn, 8).isEmpty()) {
                number.append(" ext. ").append(Fields.get(xtn, 8));
            }
            return number.toString();
        }
        return Fields.get(xtn, 1);
    }
}
