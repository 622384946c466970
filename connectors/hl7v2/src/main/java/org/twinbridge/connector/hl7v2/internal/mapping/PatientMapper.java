package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * PID to Patient: identifiers (PID-3, assigning authority as system), names (5), mother's maiden name (6), birth
 * date (7), gender (8), addresses (11), telecom (13, 14, 40), marital status (16), multiple birth (24, 25) and
 * death (29, 30). The Patient's id derives from its first identifier, so every message about the same patient
 * names the same Patient and the patient index links them.
 */
final class PatientMapper {

    private static final String MOTHERS_MAIDEN_NAME =
            "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName";
    private final MessageContext context;

    PatientMapper(MessageContext context) {
        this.context = context;
    }

    Patient map(Segment pid) {
        Ledger ledger = context.ledger();
        Patient patient = new Patient();
        ledger.mapped(pid, 1);
        List<Identifier> identifiers = identifiers(pid, 3);
        identifiers.forEach(patient::addIdentifier);
        ledger.mapped(pid, 3);
        patient.setId(identifiers.isEmpty() ? context.segmentId("Patient", pid) : idFor(identifiers.get(0)));
        for (Type xpn : Fields.reps(pid, 5)) {
            name(xpn).ifPresent(patient::addName);
        }
        ledger.mapped(pid, 5);
        String maiden = Fields.component(pid, 6, 1);
        if (!maiden.isEmpty()) {
            patient.addExtension(MOTHERS_MAIDEN_NAME, new StringType(maiden));
            ledger.mapped(pid, 6);
        }
        context.date(pid, 7).ifPresent(date -> {
            patient.setBirthDateElement(date);
            ledger.mapped(pid, 7);
        });
        gender(Fields.first(pid, 8)).ifPresent(gender -> {
            patient.setGender(gender);
            ledger.mapped(pid, 8);
        });
        for (Type xad : Fields.reps(pid, 11)) {
            address(xad).ifPresent(patient::addAddress);
        }
        ledger.mapped(pid, 11);
        telecoms(pid, 13, ContactPoint.ContactPointUse.HOME).forEach(patient::addTelecom);
        telecoms(pid, 14, ContactPoint.ContactPointUse.WORK).forEach(patient::addTelecom);
        telecoms(pid, 40, null).forEach(patient::addTelecom);
        ledger.mapped(pid, 13, 14, 40);
        String marital = Fields.first(pid, 16);
        if (!marital.isEmpty()) {
            patient.setMaritalStatus(Codings.table("0002", marital));
            ledger.mapped(pid, 16);
        }
        multipleBirth(patient, Fields.first(pid, 24), Fields.first(pid, 25), pid);
        death(patient, Fields.first(pid, 30), pid);
        return patient;
    }

    /** The identifiers in a CX field, in order. */
    List<Identifier> identifiers(Segment segment, int field) {
        return Fields.reps(segment, field).stream().map(context::identifier).flatMap(Optional::stream).toList();
    }

    /** The Patient id every message uses for the patient with this identifier. */
    static String idFor(Identifier identifier) {
        return Ids.of("Patient", identifier.getSystem(), identifier.getValue());
    }

    private static Optional<HumanName> name(Type xpn) {
        HumanName name = new HumanName();
        String family = Fields.get(xpn, 1, 1);
        if (!family.isEmpty()) {
            name.setFamily(family);
        }
        for (int component : new int[] {2, 3}) {
            String given = Fields.get(xpn, component);
            if (!given.isEmpty()) {
                name.addGiven(given);
            }
        }
        if (!Fields.get(xpn, 4).isEmpty()) {
            name.addSuffix(Fields.get(xpn, 4));
        }
        if (!Fields.get(xpn, 5).isEmpty()) {
            name.addPrefix(Fields.get(xpn, 5));
        }
        switch (Fields.get(xpn, 7).toUpperCase(Locale.ROOT)) {
            case "L" -> name.setUse(HumanName.NameUse.OFFICIAL);
            case "D" -> name.setUse(HumanName.NameUse.USUAL);
            case "M" -> name.setUse(HumanName.NameUse.MAIDEN);
            case "N" -> name.setUse(HumanName.NameUse.NICKNAME);
            case "S" -> name.setUse(HumanName.NameUse.ANONYMOUS);
            default -> { }
        }
        return name.hasFamily() || name.hasGiven() ? Optional.of(name) : Optional.empty();
    }

    private static Optional<AdministrativeGender> gender(String code) {
        return switch (code.toUpperCase(Locale.ROOT)) {
            case "M" -> Optional.of(AdministrativeGender.MALE);
            case "F" -> Optional.of(AdministrativeGender.FEMALE);
            case "O", "A" -> Optional.of(AdministrativeGender.OTHER);
            case "U", "N" -> Optional.of(AdministrativeGender.UNKNOWN);
            default -> Optional.empty();
        };
    }

    private static Optional<Address> address(Type xad) {
        Address address = new Address();
        for (String line : new String[] {street(xad), Fields.get(xad, 2)}) {
            if (!line.isEmpty()) {
                address.addLine(line);
            }
        }
        set(Fields.get(xad, 3), address::setCity);
        set(Fields.get(xad, 4), address::setState);
        set(Fields.get(xad, 5), address::setPostalCode);
        set(Fields.get(xad, 6), address::setCountry);
        set(Fields.get(xad, 9), address::setDistrict);
        switch (Fields.get(xad, 7).toUpperCase(Locale.ROOT)) {
            case "H" -> address.setUse(Address.AddressUse.HOME);
            case "B", "O" -> address.setUse(Address.AddressUse.WORK);
            case "C" -> address.setUse(Address.AddressUse.TEMP);
            case "BA" -> address.setUse(Address.AddressUse.OLD);
            case "M" -> address.setType(Address.AddressType.POSTAL);
            default -> { }
        }
        return address.hasLine() || address.hasCity() || address.hasPostalCode() ? Optional.of(address)
                : Optional.empty();
    }

    /**
     * XAD-1 (SAD): the street address, with street name and dwelling number appended when they are sent as
     * separate subcomponents and not already part of it.
     */
    private static String street(Type xad) {
        StringBuilder street = new StringBuilder(Fields.get(xad, 1, 1));
        for (int sub : new int[] {2, 3}) {
            String part = Fields.get(xad, 1, sub);
            if (!part.isEmpty() && street.indexOf(part) < 0) {
                street.append(street.length() == 0 ? "" : " ").append(part);
            }
        }
        return street.toString();
    }

    private List<ContactPoint> telecoms(Segment pid, int field, ContactPoint.ContactPointUse defaultUse) {
        return Fields.reps(pid, field).stream().map(xtn -> Telecoms.contactPoint(xtn, defaultUse))
                .flatMap(Optional::stream).toList();
    }

    private void multipleBirth(Patient patient, String indicator, String order, Segment pid) {
        if (!order.isEmpty() && !order.matches("\\d{1,3}")) {
            throw context.invalid(pid, 25, "NM");
        }
        if (!order.isEmpty()) {
            patient.setMultipleBirth(new IntegerType(Integer.parseInt(order)));
            context.ledger().mapped(pid, 24, 25);
        } else if (indicator.equalsIgnoreCase("Y") || indicator.equalsIgnoreCase("N")) {
            patient.setMultipleBirth(new BooleanType(indicator.equalsIgnoreCase("Y")));
            context.ledger().mapped(pid, 24);
        }
    }

    private void death(Patient patient, String indicator, Segment pid) {
        Optional<org.hl7.fhir.r4.model.DateTimeType> date = context.dateTime(pid, 29);
        if (date.isPresent()) {
            patient.setDeceased(date.get());
            context.ledger().mapped(pid, 29, 30);
        } else if (indicator.equalsIgnoreCase("Y") || indicator.equalsIgnoreCase("N")) {
            patient.setDeceased(new BooleanType(indicator.equalsIgnoreCase("Y")));
            context.ledger().mapped(pid, 30);
        }
    }

    private static void set(String value, java.util.function.Consumer<String> setter) {
        if (!value.isEmpty()) {
            setter.accept(value);
        }
    }
}
