package org.twinbridge.plugin.ward;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * A synthetic ADT stream for two wards over some days, with its ground truth: who was really where, when.
 *
 * <p>The hospital: a medical ward (MED, 28 beds) taking emergency admissions around the clock, peaking in the
 * afternoon and evening, and a surgical ward (SURG, 22 beds) taking elective admissions on weekday mornings plus
 * a few emergencies. Lengths of stay are log-normal (median 90 h on MED, 60 h on SURG); discharges happen between
 * 10:00 and 18:00; 12% of surgical patients move to MED part-way. A full ward turns admissions away.
 *
 * <p>The stream: A01 admit, A02 transfer, A03 discharge and A08 updates, plus the errors real feeds have: 3% of
 * admissions are recorded in error and cancelled (A11), some transfers go to the wrong ward and are cancelled
 * (A12), some discharges are recorded early and cancelled (A13); and 5% of messages arrive 10 to 120 minutes late,
 * after messages about later events. Every message is given both as HL7 v2.5.1 text (for MLLP replay) and as the
 * Encounter the HL7 v2 connector maps it to. Deterministic for a seed.
 */
final class AdtStreamGenerator {

    static final String MED = "MED";
    static final String SURG = "SURG";
    private static final int MED_BEDS = 28;
    private static final int SURG_BEDS = 22;
    private static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** A true ward stay. */
    record TrueStay(String ward, Instant start, Instant end) {
        boolean occupiesAt(Instant t) {
            return !start.isAfter(t) && end.isAfter(t);
        }
    }

    /** One message as sent: when it arrives, its HL7 text, and its Encounter as the connector maps it. */
    record Message(Instant sent, String patient, String hl7, Encounter encounter) {
    }

    /** The stream and its truth. */
    record Stream(Instant start, int days, List<Message> messages, List<TrueStay> truth) {
        int census(String ward, Instant at) {
            return (int) truth.stream().filter(s -> s.ward().equals(ward) && s.occupiesAt(at)).count();
        }
    }

    private enum Event { A01, A02, A03, A08, A11, A12, A13 }

    private record Raw(Instant at, Event event, int patient, String ward, String prior, Instant admitted,
            Instant discharged) {
    }

    private final Random random;
    private final List<TrueStay> truth = new ArrayList<>();
    private final List<Raw> raw = new ArrayList<>();
    private int patients;

    private AdtStreamGenerator(long seed) {
        this.random = new Random(seed);
    }

    static Stream generate(long seed, Instant start, int days) {
        return new AdtStreamGenerator(seed).run(start, days);
    }

    private Stream run(Instant start, int days) {
        // Beds already occupied when the stream starts: the ward is not empty on day one.
        seedOccupants(MED, start, 22, 90);
        seedOccupants(SURG, start, 16, 60);
        Instant end = start.plus(Duration.ofDays(days));
        for (Instant hour = start; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            var local = hour.atOffset(ZoneOffset.UTC);
            int h = local.getHour();
            boolean weekday = local.getDayOfWeek().getValue() <= 5;
            double medRate = 7.0 / 24 * (h >= 11 && h <= 21 ? 1.7 : 0.45);
            double surgRate = 1.5 / 24 + (weekday && h >= 7 && h <= 9 ? 4.0 / 3 : 0);
            for (int i = poisson(medRate); i > 0; i--) {
                admit(MED, hour.plusSeconds(random.nextInt(3600)), 90, end);
            }
            for (int i = poisson(surgRate); i > 0; i--) {
                admit(SURG, hour.plusSeconds(random.nextInt(3600)), 60, end);
            }
            if (random.nextDouble() < 0.03 * (medRate + surgRate)) {
                phantom(hour.plusSeconds(random.nextInt(3600)));
            }
        }
        List<Message> messages = new ArrayList<>();
        int control = 0;
        for (Raw r : raw) {
            if (r.at().isBefore(start) || r.at().isAfter(end)) {
                continue;
            }
            Duration delay = Duration.ofSeconds(random.nextInt(300));
            if (random.nextDouble() < 0.05) {
                delay = Duration.ofMinutes(10 + random.nextInt(110));
            }
            Instant sent = r.at().plus(delay);
            messages.add(new Message(sent, patientId(r.patient()), hl7(r, sent, ++control), encounter(r)));
        }
        messages.sort(Comparator.comparing(Message::sent));
        return new Stream(start, days, messages, List.copyOf(truth));
    }

    private void seedOccupants(String ward, Instant start, int count, double medianHours) {
        for (int i = 0; i < count; i++) {
            Instant admitted = start.minus(Duration.ofMinutes(random.nextInt(5 * 24 * 60)));
            Instant discharge = dischargeTime(admitted.plus(los(medianHours)));
            if (discharge.isAfter(start)) {
                int p = ++patients;
                truth.add(new TrueStay(ward, admitted, discharge));
                raw.add(new Raw(start, Event.A08, p, ward, null, admitted, null)); // the feed's first word on them
                raw.add(new Raw(discharge, Event.A03, p, ward, null, admitted, discharge));
            }
        }
    }

    private void admit(String ward, Instant at, double medianHours, Instant end) {
        if (occupied(ward, at) >= (ward.equals(MED) ? MED_BEDS : SURG_BEDS)) {
            return; // turned away: the ward is full
        }
        int p = ++patients;
        Instant discharge = dischargeTime(at.plus(los(medianHours)));
        raw.add(new Raw(at, Event.A01, p, ward, null, at, null));
        String current = ward;
        Instant since = at;
        if (ward.equals(SURG) && random.nextDouble() < 0.12) {
            Instant move = at.plus(Duration.ofMinutes((long) (Duration.between(at, discharge).toMinutes()
                    * (0.2 + 0.3 * random.nextDouble()))));
            if (occupied(MED, move) < MED_BEDS) {
                truth.add(new TrueStay(SURG, at, move));
                raw.add(new Raw(move, Event.A02, p, MED, SURG, at, null));
                discharge = dischargeTime(move.plus(Duration.ofMinutes((long) (Duration.between(move, discharge)
                        .toMinutes() * 1.2))));
                current = MED;
                since = move;
            }
        }
        if (random.nextDouble() < 0.03) { // a transfer to the wrong ward, cancelled
            Instant wrong = since.plus(Duration.ofMinutes(60 + random.nextInt(600)));
            if (wrong.isBefore(discharge.minus(Duration.ofHours(2)))) {
                String other = current.equals(MED) ? SURG : MED;
                raw.add(new Raw(wrong, Event.A02, p, other, current, at, null));
                raw.add(new Raw(wrong.plus(Duration.ofMinutes(10 + random.nextInt(30))), Event.A12, p, current,
                        other, at, null));
            }
        }
        if (random.nextDouble() < 0.3) {
            Instant update = since.plus(Duration.ofMinutes(30 + random.nextInt(600)));
            if (update.isBefore(discharge)) {
                raw.add(new Raw(update, Event.A08, p, current, null, at, null));
            }
        }
        if (random.nextDouble() < 0.03) { // a discharge recorded early, cancelled
            Instant early = discharge.minus(Duration.ofHours(4 + random.nextInt(20)));
            if (early.isAfter(since.plus(Duration.ofHours(1)))) {
                raw.add(new Raw(early, Event.A03, p, current, null, at, early));
                raw.add(new Raw(early.plus(Duration.ofMinutes(30 + random.nextInt(90))), Event.A13, p, current,
                        null, at, null));
            }
        }
        truth.add(new TrueStay(current, since, discharge));
        if (discharge.isBefore(end)) {
            raw.add(new Raw(discharge, Event.A03, p, current, null, at, discharge));
        }
    }

    private void phantom(Instant at) {
        int p = ++patients;
        String ward = random.nextBoolean() ? MED : SURG;
        raw.add(new Raw(at, Event.A01, p, ward, null, at, null));
        raw.add(new Raw(at.plus(Duration.ofMinutes(20 + random.nextInt(70))), Event.A11, p, ward, null, at, null));
    }

    private int occupied(String ward, Instant at) {
        return (int) truth.stream().filter(s -> s.ward().equals(ward) && s.occupiesAt(at)).count();
    }

    private Duration los(double medianHours) {
        double hours = medianHours * Math.exp((medianHours > 70 ? 0.8 : 0.7) * random.nextGaussian());
        return Duration.ofMinutes((long) (Math.max(4, hours) * 60));
    }

    /** Discharges happen between 10:00 and 18:00: a stay due outside that window ends in the next one. */
    private Instant dischargeTime(Instant due) {
        var t = due.atOffset(ZoneOffset.UTC);
        if (t.getHour() >= 10 && t.getHour() < 18) {
            return due;
        }
        var day = t.getHour() >= 18 ? t.toLocalDate().plusDays(1) : t.toLocalDate();
        return day.atTime(10, 0).toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(8 * 3600));
    }

    private int poisson(double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = random.nextDouble();
        while (p > l) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    private static String patientId(int p) {
        return String.format(Locale.ROOT, "SYN%05d", p);
    }

    private String hl7(Raw r, Instant sent, int control) {
        String id = patientId(r.patient());
        String assigned = r.ward() + "^" + (1 + random.nextInt(14)) + "^" + (1 + random.nextInt(2)) + "^GH";
        String prior = r.prior() == null ? "" : r.prior() + "^^^GH";
        String discharge = r.discharged() == null ? "" : HL7_TIME.format(r.discharged());
        return String.join("\r",
                "MSH|^~\\&|ADT|GH|TWINBRIDGE|NODE|" + HL7_TIME.format(sent) + "||ADT^" + r.event() + "^ADT_A01|"
                        + String.format(Locale.ROOT, "ADT%06d", control) + "|P|2.5.1",
                "EVN|" + r.event() + "|" + HL7_TIME.format(sent) + "||||" + HL7_TIME.format(r.at()),
                "PID|1||" + id + "^^^GH^MR||Synthetic^Patient" + r.patient() + "||19500101|U",
                "PV1|1|I|" + assigned + "|||" + prior + "|||||||||||||V" + id + "^^^GH^VN|||||||||||||||||||||||||"
                        + HL7_TIME.format(r.admitted()) + "|" + discharge) + "\r";
    }

    /** The Encounter the HL7 v2 connector maps this message to (see its EncounterMapper). */
    private static Encounter encounter(Raw r) {
        Encounter e = new Encounter();
        e.setId("V" + patientId(r.patient()));
        e.setSubject(new Reference("Patient/" + patientId(r.patient())));
        e.setClass_(new org.hl7.fhir.r4.model.Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP",
                "inpatient encounter"));
        Period period = new Period().setStart(Date.from(r.admitted()));
        if (r.event() == Event.A03) {
            period.setEnd(Date.from(r.discharged()));
        }
        e.setPeriod(period);
        Encounter.EncounterStatus status = switch (r.event()) {
            case A11 -> Encounter.EncounterStatus.CANCELLED;
            case A03 -> Encounter.EncounterStatus.FINISHED;
            default -> Encounter.EncounterStatus.INPROGRESS;
        };
        e.setStatus(status);
        e.addStatusHistory().setStatus(status).setPeriod(new Period().setStart(Date.from(r.at())));
        Reference ward = new Reference("Location/" + r.ward());
        if (r.event() == Event.A02 || r.event() == Event.A12) {
            e.addLocation().setLocation(new Reference("Location/" + r.prior()))
                    .setStatus(Encounter.EncounterLocationStatus.COMPLETED)
                    .setPeriod(new Period().setEnd(Date.from(r.at())));
        }
        Encounter.EncounterLocationComponent here = e.addLocation().setLocation(ward);
        if (r.event() == Event.A03 || r.event() == Event.A11) {
            here.setStatus(Encounter.EncounterLocationStatus.COMPLETED)
                    .setPeriod(new Period().setEnd(Date.from(Optional.ofNullable(r.discharged()).orElse(r.at()))));
        } else {
            here.setStatus(Encounter.EncounterLocationStatus.ACTIVE);
            if (r.event() != Event.A08) {
                here.setPeriod(new Period().setStart(Date.from(r.at())));
            }
        }
        return e;
    }
}
