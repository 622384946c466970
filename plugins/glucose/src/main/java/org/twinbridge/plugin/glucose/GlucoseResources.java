package org.twinbridge.plugin.glucose;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SimpleQuantity;

/**
 * Builds the FHIR resources and one-line summaries the glucose twin emits. Resources name the subject by
 * pseudonym only. Summaries carry bands and derived percentages, never a glucose reading.
 */
final class GlucoseResources {

    /** TwinBridge's code system for what this twin computes; no standard code fits a forecast. */
    static final String SYSTEM = "urn:twinbridge:glucose-twin";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String FORECAST = "glucose-forecast";
    static final String METRICS = "cgm-metrics";
    static final String EAG = "hba1c-eag";
    static final String PREDICTED_HYPO = "predicted-hypoglycaemia";
    static final String LAB_HYPO = "laboratory-hypoglycaemia";

    private static final String CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";

    private GlucoseResources() {
    }

    static Observation forecast(String subject, OnlineArxModel.Forecast forecast, Instant now) {
        Observation observation = observation(subject, FORECAST, "Forecast glucose in interstitial fluid", now);
        observation.setEffective(dateTime(forecast.from()));
        observation.setMethod(new CodeableConcept().setText(forecast.persistence()
                ? "Persistence (the per-patient ARX model's trend was not stationary)"
                : "Per-patient ARX(2) model of 5-minute changes with a return to the usual level,"
                        + " recursive least squares"));
        for (int minutes : new int[] {15, 30, 45, 60}) {
            double sd95 = 1.96 * forecast.sdAt(minutes);
            double value = forecast.at(minutes);
            observation.addComponent().setCode(code("forecast-" + minutes + "min",
                            "Forecast glucose " + minutes + " minutes ahead"))
                    .setValue(mgPerDl(value));
            observation.addComponent().setCode(code("forecast-" + minutes + "min-pi95",
                            "95% prediction interval of the forecast " + minutes + " minutes ahead"))
                    .setValue(new Range().setLow(simple(mgPerDl(Math.max(0, value - sd95))))
                            .setHigh(simple(mgPerDl(value + sd95))));
        }
        return observation;
    }

    static String forecastSummary(OnlineArxModel.Forecast forecast) {
        return "Glucose forecast: " + band(forecast.at(30)) + " at 30 min, " + band(forecast.at(60))
                + " at 60 min" + (forecast.persistence() ? " (persistence)" : "");
    }

    static Observation metrics(String subject, CgmMetrics m, Optional<TwinState.Timed> hba1c, Instant now) {
        Observation observation = observation(subject, METRICS,
                "CGM glycaemic metrics (international consensus, Battelino 2019)", now);
        observation.setEffective(new Period().setStartElement(dateTime(m.from())).setEndElement(dateTime(m.to())));
        percent(observation, "time-in-range", "Time in range 70-180 mg/dL", m.tirPercent());
        percent(observation, "time-below-70", "Time below 70 mg/dL", m.tbr70Percent());
        percent(observation, "time-below-54", "Time below 54 mg/dL", m.tbr54Percent());
        percent(observation, "time-above-180", "Time above 180 mg/dL", m.tar180Percent());
        percent(observation, "time-above-250", "Time above 250 mg/dL", m.tar250Percent());
        observation.addComponent().setCode(code("mean-glucose", "Mean glucose")).setValue(mgPerDl(m.meanMgPerDl()));
        observation.addComponent().setCode(code("glucose-sd", "Standard deviation of glucose"))
                .setValue(mgPerDl(m.sdMgPerDl()));
        percent(observation, "glucose-cv", "Coefficient of variation of glucose", m.cvPercent());
        percent(observation, "gmi", "Glucose management indicator", m.gmiPercent());
        observation.addComponent().setCode(code("readings", "CGM readings in the period"))
                .setValue(new Quantity().setValue(m.readings()).setSystem(UCUM).setCode("1").setUnit("readings"));
        observation.addComponent().setCode(code("coverage", "Days of CGM data"))
                .setValue(quantity(m.coverageDays(), 2, "d", "days"));
        percent(observation, "cgm-active", "Time CGM active", m.activePercent());
        hba1c.ifPresent(h -> percent(observation, "hba1c-latest", "Latest HbA1c", h.value()));
        if (!m.sufficient()) {
            observation.addNote().setText("Provisional: the consensus asks for 14 days of CGM data with the sensor"
                    + " active at least 70% of the time before these metrics stand for usual glucose.");
        }
        return observation;
    }

    static String metricsSummary(CgmMetrics m) {
        return String.format(Locale.ROOT, "CGM metrics over %.1f days%s: TIR %.0f%%, below 70 %.0f%%, below 54"
                        + " %.0f%%, above 180 %.0f%%, above 250 %.0f%%, CV %.0f%%, GMI %.1f%%", m.coverageDays(),
                m.sufficient() ? "" : " (provisional)", m.tirPercent(), m.tbr70Percent(), m.tbr54Percent(),
                m.tar180Percent(), m.tar250Percent(), m.cvPercent(), m.gmiPercent());
    }

    /**
     * Estimated average glucose from an HbA1c by the ADAG regression, eAG (mg/dL) = 28.7 x HbA1c - 46.7
     * (Nathan et al., Diabetes Care 2008), with the CGM GMI beside it when there is one.
     */
    static Observation estimatedAverageGlucose(String subject, TwinState.Timed hba1c, Optional<CgmMetrics> cgm,
            Instant now) {
        Observation observation = observation(subject, EAG, "Estimated average glucose from HbA1c (ADAG)", now);
        observation.setEffective(dateTime(hba1c.at()));
        observation.setValue(mgPerDl(eag(hba1c.value())));
        percent(observation, "hba1c", "HbA1c (NGSP)", hba1c.value());
        cgm.ifPresent(m -> {
            percent(observation, "gmi", "Glucose management indicator from CGM", m.gmiPercent());
            observation.addComponent().setCode(code("gmi-minus-hba1c", "GMI minus HbA1c (percentage points)"))
                    .setValue(quantity(m.gmiPercent() - hba1c.value(), 1, "%", "%"));
        });
        return observation;
    }

    static double eag(double hba1cPercent) {
        return 28.7 * hba1cPercent - 46.7;
    }

    static String eagSummary(boolean withGmi) {
        return "HbA1c-derived estimated average glucose" + (withGmi ? ", with CGM GMI for comparison" : "");
    }

    static Flag predictedHypoglycaemia(String subject, Instant at, int minutesAhead) {
        return flag(subject, PREDICTED_HYPO, predictedHypoSummary(minutesAhead), at);
    }

    static String predictedHypoSummary(int minutesAhead) {
        return "Predicted hypoglycaemia: glucose forecast below 70 mg/dL in " + minutesAhead + " min";
    }

    static Flag laboratoryHypoglycaemia(String subject, Instant at, double mgPerDl) {
        return flag(subject, LAB_HYPO, laboratoryHypoSummary(mgPerDl), at);
    }

    static String laboratoryHypoSummary(double mgPerDl) {
        return mgPerDl < 54 ? "Laboratory glucose below 54 mg/dL (level 2 hypoglycaemia)"
                : "Laboratory glucose below 70 mg/dL (level 1 hypoglycaemia)";
    }

    private static Flag flag(String subject, String code, String text, Instant at) {
        Flag flag = new Flag();
        flag.setStatus(Flag.FlagStatus.ACTIVE);
        flag.setCode(new CodeableConcept(new Coding(SYSTEM, code, text)).setText(text));
        flag.setSubject(patient(subject));
        flag.setPeriod(new Period().setStartElement(dateTime(at)));
        return flag;
    }

    private static Observation observation(String subject, String code, String display, Instant now) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new Coding(CATEGORY_SYSTEM, "laboratory", "Laboratory")));
        observation.setCode(code(code, display).setText(display));
        observation.setSubject(patient(subject));
        observation.setIssued(Date.from(now));
        return observation;
    }

    private static void percent(Observation observation, String code, String display, double value) {
        observation.addComponent().setCode(code(code, display)).setValue(quantity(value, 1, "%", "%"));
    }

    private static String band(double mgPerDl) {
        if (mgPerDl < 70) {
            return "below range";
        }
        return mgPerDl > 180 ? "above range" : "in range";
    }

    private static CodeableConcept code(String code, String display) {
        return new CodeableConcept(new Coding(SYSTEM, code, display));
    }

    private static Quantity mgPerDl(double value) {
        return quantity(value, 1, "mg/dL", "mg/dL");
    }

    private static Quantity quantity(double value, int decimals, String ucum, String unit) {
        return new Quantity().setValue(BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP))
                .setSystem(UCUM).setCode(ucum).setUnit(unit);
    }

    private static SimpleQuantity simple(Quantity quantity) {
        SimpleQuantity simple = new SimpleQuantity();
        simple.setValue(quantity.getValue()).setSystem(quantity.getSystem()).setCode(quantity.getCode())
                .setUnit(quantity.getUnit());
        return simple;
    }

    private static Reference patient(String subject) {
        return new Reference("Patient/" + subject);
    }

    private static DateTimeType dateTime(Instant at) {
        return new DateTimeType(at.toString());
    }
}
