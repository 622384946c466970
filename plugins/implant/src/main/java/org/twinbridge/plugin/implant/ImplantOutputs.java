package org.twinbridge.plugin.implant;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/** The twin's outputs: the device status Observation and the alert Flags, about {@code Patient/<subject>}. */
final class ImplantOutputs {

    static final String UCUM = "http://unitsofmeasure.org";

    private ImplantOutputs() {
    }

    static Observation status(String subject, Instant at, DeviceHistory history) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setCode(code("device-status", "Implanted cardiac device status and forecast"));
        o.setSubject(new Reference("Patient/" + subject));
        o.setEffective(new DateTimeType(Date.from(at)));
        EriForecast.of(history, at).ifPresent(f -> {
            o.setValue(new DateTimeType(Date.from(f.expected())));
            o.addComponent().setCode(code("eri-lower-90", "ERI date, 5th percentile"))
                    .setValue(new DateTimeType(Date.from(f.lower())));
            o.addComponent().setCode(code("eri-upper-90", "ERI date, 95th percentile"))
                    .setValue(new DateTimeType(Date.from(f.upper())));
            o.addComponent().setCode(code("eri-basis", "What the ERI forecast rests on"))
                    .setValue(new StringType(f.basis() == EriForecast.Basis.LONGEVITY ? "remaining-longevity"
                            : "battery-voltage"));
        });
        for (Measure m : Measure.values()) {
            var series = history.series(m).headMap(at, true);
            if (series.isEmpty()) {
                continue;
            }
            o.addComponent().setCode(new CodeableConcept(new Coding(m.system(), m.code(), m.display())))
                    .setValue(quantity(series.lastEntry().getValue(), m.unit()));
            LeadMonitor.slopePer30Days(history, m, at).ifPresent(slope -> o.addComponent()
                    .setCode(code("trend-30d-" + m.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                            "Change per 30 days (90-day fit): " + m.display()))
                    .setValue(quantity(slope, m.unit())));
        }
        return o;
    }

    static Flag alert(String subject, Instant at, String kind, String words) {
        Flag flag = new Flag();
        flag.setStatus(Flag.FlagStatus.ACTIVE);
        flag.setCode(code(kind, words).setText(words));
        flag.setSubject(new Reference("Patient/" + subject));
        flag.setPeriod(new Period().setStartElement(new DateTimeType(Date.from(at))));
        return flag;
    }

    private static CodeableConcept code(String code, String display) {
        return new CodeableConcept(new Coding(Measure.TWIN, code, display));
    }

    private static Quantity quantity(double value, String unit) {
        return new Quantity().setValue(BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros())
                .setSystem(UCUM).setCode(unit).setUnit(unit);
    }
}
