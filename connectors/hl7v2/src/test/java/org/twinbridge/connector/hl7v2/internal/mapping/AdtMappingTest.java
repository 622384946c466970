package org.twinbridge.connector.hl7v2.internal.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.twinbridge.connector.hl7v2.TestMessages.admit;
import static org.twinbridge.connector.hl7v2.TestMessages.message;
import static org.twinbridge.connector.hl7v2.TestMessages.resource;

import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** ADT to Patient and Encounter, and A40 to a pair of Patients that tells the patient index to merge. */
class AdtMappingTest {

    @Test
    void pid_becomesAPatient_withIdentifiersNamesBirthGenderAddressAndTelecom() throws Exception {
        Patient patient = Mapped.of(resource("msft_ADT-A01-02.hl7")).first(Patient.class);

        assertThat(patient.getIdentifier()).extracting(i -> i.getSystem() + "|" + i.getValue() + "|"
                + i.getType().getCodingFirstRep().getCode()).containsExactly(
                        "urn:twinbridge:hl7v2:assigning-authority:test1|PATID1234|MR",
                        "urn:twinbridge:hl7v2:assigning-authority:USSSA|123456789|SS");
        HumanName name = patient.getNameFirstRep();
        assertThat(name.getFamily()).isEqualTo("EVERYMAN");
        assertThat(name.getGiven()).extracting(g -> g.getValue()).containsExactly("ADAM", "A");
        assertThat(name.getPrefixAsSingleString()).isEqualTo("Dr.");
        assertThat(name.getSuffixAsSingleString()).isEqualTo("III");
        assertThat(patient.getName()).hasSize(2);
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1988-08-18");
        assertThat(patient.getGender()).isEqualTo(AdministrativeGender.MALE);
        assertThat(patient.getAddressFirstRep().getLine()).extracting(l -> l.getValue())
                .containsExactly("1000 Hospital Lane", "Ste. 123");
        assertThat(patient.getAddressFirstRep().getCity()).isEqualTo("Ann Arbor");
        assertThat(patient.getTelecom()).extracting(ContactPoint::getValue).contains("12121212", "7777");
    }

    @Test
    void v23Registration_withoutAssigningAuthority_scopesTheMrnToConnectorAndSendingFacility() throws Exception {
        Mapped mapped = Mapped.of(resource("msft_ADT04-23.hl7"));
        Patient patient = mapped.first(Patient.class);

        assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo("urn:twinbridge:hl7v2:lab:NINTENDO");
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("123456789");
        // PID-13 is the home phone; XTN-3 holds "JP:1234567", not a table 0202 equipment type; the structured
        // number (XTN-5 to 7) wins over the formatted text (XTN-1).
        assertThat(patient.getTelecom()).extracting(t -> t.getSystem().toCode() + ":" + t.getUse().toCode() + ":"
                + t.getValue()).containsExactly("other:home:+1 (555) 5550123", "other:home:+1 (555) 5550124");
        assertThat(mapped.first(Encounter.class).getClass_().getCode()).isEqualTo("AMB");
        assertThat(mapped.recordOf(patient).unmapped()).contains("NK1");
        assertThat(mapped.recordOf(mapped.first(Encounter.class)).unmapped()).contains("IN1");
    }

    @Test
    void configuredAssigningAuthorities_andDefaultSystem_decideIdentifierSystems() throws Exception {
        MappingOptions options = new MappingOptions("lab", Map.of("test1", "http://ghh.example.org/mrn"),
                Optional.of("http://nintendo.example.org/mrn"), ZoneOffset.UTC);

        assertThat(Mapped.of(resource("msft_ADT-A01-02.hl7"), options).first(Patient.class)
                .getIdentifierFirstRep().getSystem()).isEqualTo("http://ghh.example.org/mrn");
        assertThat(Mapped.of(resource("msft_ADT04-23.hl7"), options).first(Patient.class)
                .getIdentifierFirstRep().getSystem()).isEqualTo("http://nintendo.example.org/mrn");
    }

    @Test
    void isoUniversalIds_becomeOidSystems() throws Exception {
        String oid = admit("OID-1", "M-OID", "Oid").replace("M-OID^^^HOSP^MR", "M-OID^^^&2.16.840.1.113883.19&ISO^MR");

        assertThat(Mapped.of(oid).first(Patient.class).getIdentifierFirstRep().getSystem())
                .isEqualTo("urn:oid:2.16.840.1.113883.19");
    }

    @Test
    void pv1_becomesAnEncounter_withClassVisitNumberAndAdmitTime() throws Exception {
        Mapped mapped = Mapped.of(admit("ENC-1", "M-ENC", "Visit"));
        Encounter encounter = mapped.first(Encounter.class);

        assertThat(encounter.getClass_().getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/v3-ActCode");
        assertThat(encounter.getClass_().getCode()).isEqualTo("IMP");
        assertThat(encounter.getIdentifierFirstRep().getValue()).isEqualTo("V-ENC-1");
        assertThat(encounter.getPeriod().getStartElement().getValueAsString()).isEqualTo("2024-03-05T08:00:00+01:00");
        assertThat(encounter.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
        assertThat(encounter.getSubject().getReference()).isEqualTo("Patient/" + mapped.first(Patient.class)
                .getIdPart());
    }

    @Test
    void discharge_finishesTheSameEncounter_withItsEndTime() throws Exception {
        Encounter admitted = Mapped.of(admit("DIS-1", "M-DIS", "Home")).first(Encounter.class);
        String dischargeMessage = admit("DIS-1", "M-DIS", "Home").replace("ADT^A01^ADT_A01", "ADT^A03^ADT_A03")
                .replace("|20240305080000+0100", "|20240305080000+0100|20240309140000+0100")
                .replace("EVN|A01", "EVN|A03").replace("|DIS-1|P|", "|DIS-2|P|");
        Encounter discharged = Mapped.of(dischargeMessage).first(Encounter.class);

        assertThat(discharged.getIdPart()).isEqualTo(admitted.getIdPart());
        assertThat(discharged.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
        assertThat(discharged.getPeriod().getEndElement().getValueAsString()).isEqualTo("2024-03-09T14:00:00+01:00");
    }

    @Test
    void update_namesTheSamePatient_asTheAdmit() throws Exception {
        Patient admitted = Mapped.of(admit("UPD-1", "M-UPD", "Before")).first(Patient.class);
        Patient updated = Mapped.of(admit("UPD-2", "M-UPD", "After").replace("ADT^A01^ADT_A01", "ADT^A08^ADT_A01"))
                .first(Patient.class);

        assertThat(updated.getIdPart()).isEqualTo(admitted.getIdPart());
        assertThat(updated.getNameFirstRep().getFamily()).isEqualTo("After");
    }

    @Test
    void merge_survivorReplacesTheInactivePriorPatient_whoseIdIsTheOneItsMessagesUsed() throws Exception {
        Patient priorAsAdmitted = Mapped.of(admit("OLD-1", "OLD-MRN", "Merged")).first(Patient.class);
        Mapped merge = Mapped.of(message(
                "MSH|^~\\&|ADTAPP|HOSPFAC|TB|NODE|20240306||ADT^A40^ADT_A39|MERGE-1|P|2.5.1",
                "EVN|A40|20240306",
                "PID|1||NEW-MRN^^^HOSP^MR||Merged^Ann||19800202|F",
                "MRG|OLD-MRN^^^HOSP^MR||||||Merged^Ann"));
        Patient survivor = merge.all(Patient.class).get(0);
        Patient prior = merge.all(Patient.class).get(1);

        assertThat(prior.getIdPart()).isEqualTo(priorAsAdmitted.getIdPart());
        assertThat(prior.getActive()).isFalse();
        assertThat(prior.getIdentifierFirstRep().getValue()).isEqualTo("OLD-MRN");
        assertThat(prior.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACEDBY);
        assertThat(prior.getLinkFirstRep().getOther().getReference()).isEqualTo("Patient/" + survivor.getIdPart());
        assertThat(prior.getNameFirstRep().getUse()).isEqualTo(HumanName.NameUse.OLD);
        assertThat(survivor.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACES);
        assertThat(survivor.getLinkFirstRep().getOther().getReference()).isEqualTo("Patient/" + prior.getIdPart());
        assertThat(merge.records().get(0).resource()).isSameAs(survivor);
    }

    @Test
    void sharedMergeSample_mapsMrgToThePriorPatient() throws Exception {
        Mapped merge = Mapped.of(resource("msft_ADT-A40-01.hl7"));

        assertThat(merge.all(Patient.class)).extracting(p -> p.getIdentifierFirstRep().getValue())
                .containsExactly("12345", "56789");
    }

    @Test
    void mergeOfAPatientIntoItself_emitsNoPriorPatient() throws Exception {
        Mapped merge = Mapped.of(message(
                "MSH|^~\\&|ADTAPP|HOSPFAC|TB|NODE|20240306||ADT^A40^ADT_A39|SELF-1|P|2.5.1",
                "PID|1||SAME^^^HOSP^MR||Self^Ann", "MRG|SAME^^^HOSP^MR"));

        assertThat(merge.all(Patient.class)).hasSize(1);
        assertThat(merge.first(Patient.class).hasLink()).isFalse();
    }

    /** An ADT message of the given event for visit V-WARD-1, with PV1-3, PV1-6 and EVN-6 as given. */
    private static String visitEvent(String event, String controlId, String assigned, String prior, String eventTime,
            String discharged) {
        return message(
                "MSH|^~\\&|ADTAPP|HOSPFAC|TWINBRIDGE|NODE|20240305081500+0100||ADT^" + event + "|" + controlId
                        + "|P|2.5.1",
                "EVN|" + event + "|20240306120000+0100||||" + eventTime,
                "PID|1||M-WARD^^^HOSP^MR||Ward^Ann||19800202|F",
                "PV1|1|I|" + assigned + "|||" + prior + "|||||||||||||V-WARD-1^^^HOSP^VN|||||||||||||||||||||||||"
                        + "20240305080000+0100|" + discharged);
    }

    @Test
    void admit_placesThePatientOnTheWard_fromTheAdmitTime_withoutRoomOrBed() throws Exception {
        Encounter encounter = Mapped.of(visitEvent("A01", "W-1", "WARD7^12^3^GH", "", "", ""))
                .first(Encounter.class);

        assertThat(encounter.getLocation()).singleElement().satisfies(location -> {
            assertThat(location.getStatus()).isEqualTo(Encounter.EncounterLocationStatus.ACTIVE);
            assertThat(location.getPeriod().getStartElement().getValueAsString())
                    .isEqualTo("2024-03-06T12:00:00+01:00");
            assertThat(location.getLocation().getReference()).startsWith("Location/hl7-")
                    .doesNotContain("12").isNotEqualTo(wardOf("WARD8^12^3^GH"));
        });
        assertThat(encounter.getStatusHistoryFirstRep().getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
        assertThat(wardOf("WARD7^1^1^GH")).as("a ward is the same reference whatever room and bed")
                .isEqualTo(encounter.getLocationFirstRep().getLocation().getReference());
    }

    @Test
    void transfer_completesThePriorWard_andStartsTheNewOne_atTheEventTime() throws Exception {
        Encounter encounter = Mapped.of(visitEvent("A02", "W-2", "WARD8^1^1^GH", "WARD7^12^3^GH",
                "20240306093000+0100", "")).first(Encounter.class);

        assertThat(encounter.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
        assertThat(encounter.getLocation()).extracting(l -> l.getLocation().getReference(), l -> l.getStatus(),
                l -> l.getPeriod().hasStart() ? "start " + l.getPeriod().getStartElement().getValueAsString()
                        : "end " + l.getPeriod().getEndElement().getValueAsString())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(wardOf("WARD7^1^1^GH"),
                                Encounter.EncounterLocationStatus.COMPLETED, "end 2024-03-06T09:30:00+01:00"),
                        org.assertj.core.groups.Tuple.tuple(wardOf("WARD8^1^1^GH"),
                                Encounter.EncounterLocationStatus.ACTIVE, "start 2024-03-06T09:30:00+01:00"));
        assertThat(encounter.getStatusHistoryFirstRep().getPeriod().getStartElement().getValueAsString())
                .as("EVN-6, when it happened, wins over EVN-2, when it was recorded")
                .isEqualTo("2024-03-06T09:30:00+01:00");
    }

    @Test
    void discharge_completesTheWard_atTheDischargeTime() throws Exception {
        Encounter encounter = Mapped.of(visitEvent("A03", "W-3", "WARD8^1^1^GH", "", "", "20240307100000+0100"))
                .first(Encounter.class);

        assertThat(encounter.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
        assertThat(encounter.getLocationFirstRep().getStatus()).isEqualTo(Encounter.EncounterLocationStatus.COMPLETED);
        assertThat(encounter.getLocationFirstRep().getPeriod().getEndElement().getValueAsString())
                .isEqualTo("2024-03-07T10:00:00+01:00");
    }

    @Test
    void cancelledAdmit_cancelsTheSameEncounter() throws Exception {
        Encounter admitted = Mapped.of(visitEvent("A01", "W-4", "WARD7", "", "", "")).first(Encounter.class);
        Encounter cancelled = Mapped.of(visitEvent("A11", "W-5", "WARD7", "", "", "")).first(Encounter.class);

        assertThat(cancelled.getIdPart()).isEqualTo(admitted.getIdPart());
        assertThat(cancelled.getStatus()).isEqualTo(Encounter.EncounterStatus.CANCELLED);
        assertThat(cancelled.getStatusHistoryFirstRep().getStatus()).isEqualTo(Encounter.EncounterStatus.CANCELLED);
        assertThat(cancelled.getLocationFirstRep().getStatus()).isEqualTo(Encounter.EncounterLocationStatus.COMPLETED);
    }

    @Test
    void cancelledTransfer_putsThePatientBackOnTheOriginalWard() throws Exception {
        Encounter encounter = Mapped.of(visitEvent("A12", "W-6", "WARD7", "WARD8", "", "")).first(Encounter.class);

        assertThat(encounter.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
        assertThat(encounter.getLocation()).extracting(l -> l.getLocation().getReference(), l -> l.getStatus())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(wardOf("WARD8"), Encounter.EncounterLocationStatus.COMPLETED),
                        org.assertj.core.groups.Tuple.tuple(wardOf("WARD7"), Encounter.EncounterLocationStatus.ACTIVE));
    }

    @Test
    void cancelledDischarge_reopensTheEncounter_evenIfPv145StillHoldsTheDischarge() throws Exception {
        Encounter encounter = Mapped.of(visitEvent("A13", "W-7", "WARD8", "", "", "20240307100000+0100"))
                .first(Encounter.class);

        assertThat(encounter.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
        assertThat(encounter.getPeriod().hasEnd()).isFalse();
        assertThat(encounter.getLocationFirstRep().getStatus()).isEqualTo(Encounter.EncounterLocationStatus.ACTIVE);
    }

    @Test
    void update_saysWhereThePatientIs_butNotSinceWhen() throws Exception {
        Encounter encounter = Mapped.of(visitEvent("A08", "W-8", "WARD8", "", "", "")).first(Encounter.class);

        assertThat(encounter.getLocationFirstRep().getStatus()).isEqualTo(Encounter.EncounterLocationStatus.ACTIVE);
        assertThat(encounter.getLocationFirstRep().hasPeriod()).isFalse();
    }

    private static String wardOf(String pl) throws MappingException {
        return Mapped.of(visitEvent("A08", "W-X", pl, "", "", "")).first(Encounter.class).getLocationFirstRep()
                .getLocation().getReference();
    }
}
