package org.twinbridge.plugin.ward;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SampledData;

/**
 * The twin's outputs, each an Observation about a ward ({@code subject} is the ward's {@code Location}
 * pseudonym): the census with lengths of stay so far, and the 24-hour bed-demand forecast as three hourly series
 * (expected, 5th and 95th percentile). Codes are the twin's own, in {@link #SYSTEM}.
 */
final class WardOutputs {

    static final String SYSTEM = "https://twinbridge.org/fhir/CodeSystem/ward-twin";
    static final String UCUM = "http://unitsofmeasure.org";

    private WardOutputs() {
    }

    static Observation census(String ward, Instant at, List<WardStay> occupants, int admissions24h,
            int departures24h) {
        Observation o = base(ward, "ward-census", "Beds occupied on the ward");
        o.setEffective(new DateTimeType(Date.from(at)));
        o.setValue(beds(occupants.size()));
        List<Double> los = occupants.stream().map(s -> BedDemandForecast.hours(s.start(), at)).sorted().toList();
        if (!los.isEmpty()) {
            o.addComponent(component("length-of-stay-so-far-median", "Median time on the ward so far",
                    hours(los.get(los.size() / 2))));
            o.addComponent(component("length-of-stay-so-far-mean", "Mean time on the ward so far",
                    hours(los.stream().mapToDouble(Double::doubleValue).average().orElse(0))));
            o.addComponent(component("length-of-stay-so-far-max", "Longest time on the ward so far",
                    hours(los.get(los.size() - 1))));
        }
        o.addComponent(component("arrivals-24h", "Arrivals in the last 24 hours", count(admissions24h)));
        o.addComponent(component("departures-24h", "Departures in the last 24 hours", count(departures24h)));
        return o;
    }

    static Observation forecast(BedDemandForecast.Forecast forecast) {
        Observation o = base(forecast.ward(), "bed-demand-forecast-24h", "Bed demand, next 24 hours by hour");
        o.setEffective(new Period().setStart(Date.from(forecast.origin()))
                .setEnd(Date.from(forecast.origin().plus(Duration.ofHours(BedDemandForecast.HOURS)))));
        o.setValue(beds(forecast.census()));
        o.addComponent(series("expected", "Expected beds occupied", forecast,
                h -> h.expected()));
        o.addComponent(series("lower-90", "5th percentile of beds occupied", forecast, h -> h.lower()));
        o.addComponent(series("upper-90", "95th percentile of beds occupied", forecast, h -> h.upper()));
        return o;
    }

    /** The summary line: counts only, and the ward's pseudonym shortened. */
    static String summary(String ward, String what) {
        String id = ward.substring(ward.indexOf('/') + 1);
        return String.format(Locale.ROOT, "Ward %s: %s", id.substring(0, Math.min(8, id.length())), what);
    }

    private static Observation base(String ward, String code, String display) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setCode(new CodeableConcept(new Coding(SYSTEM, code, display)));
        o.setSubject(new Reference(ward));
        return o;
    }

    private static Observation.ObservationComponentComponent component(String code, String display,
            Quantity value) {
        return new Observation.ObservationComponentComponent(new CodeableConcept(new Coding(SYSTEM, code, display)))
                .setValue(value);
    }

    private static Observation.ObservationComponentComponent series(String code, String display,
            BedDemandForecast.Forecast forecast, ToDoubleFunction<BedDemandForecast.Hour> value) {
        SampledData data = new SampledData().setOrigin(beds(0)).setPeriod(3_600_000).setDimensions(1)
                .setData(forecast.hours().stream().map(h -> round(value.applyAsDouble(h)).toPlainString())
                        .collect(Collectors.joining(" ")));
        return new Observation.ObservationComponentComponent(new CodeableConcept(new Coding(SYSTEM,
                "bed-demand-" + code, display))).setValue(data);
    }

    private static Quantity beds(int n) {
        return new Quantity().setValue(n).setUnit("beds").setSystem(UCUM).setCode("{beds}");
    }

    private static Quantity count(int n) {
        return new Quantity().setValue(n).setUnit("patients").setSystem(UCUM).setCode("{patients}");
    }

    private static Quantity hours(double h) {
        return new Quantity().setValue(round(h)).setUnit("h").setSystem(UCUM).setCode("h");
    }

    private static BigDecimal round(double v) {
        return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP);
    }
}
