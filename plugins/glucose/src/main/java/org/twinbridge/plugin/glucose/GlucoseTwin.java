package org.twinbridge.plugin.glucose;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.pf4j.Extension;
import org.twinbridge.sdk.StateStore;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.CodeFilter;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * The glucose twin: forecasts each subject's CGM glucose 30 and 60 minutes ahead with a per-patient model
 * learned online ({@link OnlineArxModel}), keeps the consensus CGM metrics over a sliding 14-day window
 * ({@link CgmWindow}) and raises an alert when glucose is forecast to fall below 70 mg/dL within 30 minutes.
 * A decision-support demonstration, not a medical device.
 *
 * <p><b>What it emits.</b> For each CGM reading, once the model has learned from an hour of readings: a
 * forecast {@link OutputKind#OBSERVATION}, and an {@link OutputKind#ALERT} when hypoglycaemia is newly
 * predicted. The alert is raised once per episode: it re-arms when the reading and the 30-minute forecast are
 * both back at or above {@value #HYPO_REARM_MG_PER_DL} mg/dL. At most once an hour of CGM time, a metrics
 * {@link OutputKind#OBSERVATION}. For an HbA1c, an estimated-average-glucose {@link OutputKind#OBSERVATION};
 * for a laboratory glucose below 70 mg/dL, an {@link OutputKind#ALERT}. Carbohydrate and insulin records only
 * inform the model.
 *
 * <p><b>State.</b> {@link #STATE_KEY} holds the model and recent doses (a few kilobytes); {@link CgmWindow}
 * holds the readings of the metrics window, one value per day. No patient data is held anywhere else.
 * Instances are immutable and thread-safe.
 */
@Extension
public final class GlucoseTwin implements TwinModel {

    /** The plugin id; equals the jar's pf4j {@code Plugin-Id}. */
    public static final String ID = "glucose-twin";
    static final String STATE_KEY = "glucose.twin";
    static final double HYPO_MG_PER_DL = 70;
    static final double HYPO_REARM_MG_PER_DL = 80;
    static final int HYPO_HORIZON_MINUTES = 30;
    static final Duration DEFAULT_METRICS_EVERY = Duration.ofHours(1);
    private static final int FORECAST_STEPS = 12; // 60 minutes of 5-minute steps

    private final GlucoseInputMapper mapper = new GlucoseInputMapper();
    private final Duration windowLength;
    private final Duration metricsEvery;
    private final PluginManifest manifest;

    /** The twin with a 14-day metrics window, emitting metrics hourly; this is the constructor pf4j calls. */
    public GlucoseTwin() {
        this(CgmWindow.DEFAULT_LENGTH, DEFAULT_METRICS_EVERY);
    }

    /** A twin with another metrics window or metrics interval, for tests and studies. */
    GlucoseTwin(Duration windowLength, Duration metricsEvery) {
        this.windowLength = Objects.requireNonNull(windowLength, "windowLength");
        this.metricsEvery = Objects.requireNonNull(metricsEvery, "metricsEvery");
        Set<CodeFilter> codes = GlucoseInputMapper.LOINC_CODES.stream().map(CodeFilter::loinc)
                .collect(Collectors.toUnmodifiableSet());
        this.manifest = new PluginManifest(ID, version(), "TwinBridge",
                "CGM glucose forecast, consensus CGM metrics and predicted-hypoglycaemia alert"
                        + " (decision-support demonstration, not a medical device)",
                new DataRequest(Set.of("Observation", "MedicationAdministration"), codes, Set.of("TREAT")),
                List.of(OutputKind.OBSERVATION, OutputKind.ALERT));
    }

    @Override
    public PluginManifest manifest() {
        return manifest;
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        Optional<GlucoseInput> read = mapper.map(record.resource());
        if (read.isEmpty()) {
            return;
        }
        GlucoseInput input = read.get();
        String subject = record.subject();
        StateStore state = context.state();
        TwinState before = state.get(subject, STATE_KEY).flatMap(TwinStateText::decode).orElse(TwinState.INITIAL);
        Instant at = record.effectiveTime().orElseGet(context::now);
        TwinState after;
        switch (input.kind()) {
            case CGM_GLUCOSE:
                if (record.effectiveTime().isEmpty()) {
                    return; // a reading without a time cannot be placed in the series
                }
                after = onCgm(subject, at, input.value(), before, context);
                break;
            case LAB_GLUCOSE:
                after = before.withLatestLabGlucose(new TwinState.Timed(input.value(), at));
                if (input.value() < HYPO_MG_PER_DL) {
                    context.emit(new TwinOutput(subject, OutputKind.ALERT,
                            GlucoseResources.laboratoryHypoglycaemia(subject, at, input.value()),
                            GlucoseResources.laboratoryHypoSummary(input.value())));
                }
                break;
            case HBA1C:
                TwinState.Timed hba1c = new TwinState.Timed(input.value(), at);
                after = before.withLatestHba1c(hba1c);
                Optional<CgmMetrics> cgm = new CgmWindow(state, subject, windowLength).summary().metrics();
                context.emit(new TwinOutput(subject, OutputKind.OBSERVATION,
                        GlucoseResources.estimatedAverageGlucose(subject, hba1c, cgm, context.now()),
                        GlucoseResources.eagSummary(cgm.isPresent())));
                break;
            case CARBS:
                after = before.withDoses(before.doses().withCarbs(new AbsorptionCurve.Dose(at, input.value())));
                break;
            case INSULIN:
                after = before.withDoses(before.doses().withInsulin(new AbsorptionCurve.Dose(at, input.value())));
                break;
            default:
                throw new IllegalStateException("unhandled input kind " + input.kind());
        }
        if (!after.equals(before)) {
            String text = TwinStateText.encode(after);
            checkSize(STATE_KEY, text);
            state.put(subject, STATE_KEY, text);
        }
    }

    private TwinState onCgm(String subject, Instant at, double mgPerDl, TwinState twin, TwinContext context) {
        Optional<CgmSummary> summary = new CgmWindow(context.state(), subject, windowLength).add(at, mgPerDl);
        if (summary.isEmpty()) {
            return twin; // not after the newest reading: a duplicate or a late back-fill
        }
        MealsAndInsulin doses = twin.doses().forgetBefore(at);
        // The patient's usual level, for the model's return term: the mean of the readings in the metrics window.
        Optional<CgmMetrics> window = summary.get().metrics();
        OptionalDouble usual = window.isPresent() ? OptionalDouble.of(window.get().meanMgPerDl())
                : OptionalDouble.empty();
        OnlineArxModel model = OnlineArxModel.of(twin.model());
        model.observe(at, mgPerDl, doses, usual);
        TwinState after = twin.withModel(model.snapshot()).withDoses(doses);

        Optional<OnlineArxModel.Forecast> forecast = model.forecast(FORECAST_STEPS, doses, usual);
        if (forecast.isPresent()) {
            OnlineArxModel.Forecast f = forecast.get();
            context.emit(new TwinOutput(subject, OutputKind.OBSERVATION,
                    GlucoseResources.forecast(subject, f, context.now()), GlucoseResources.forecastSummary(f)));
            Optional<Integer> low = f.firstBelow(HYPO_MG_PER_DL, HYPO_HORIZON_MINUTES);
            if (low.isPresent() && !after.hypoAlertActive()) {
                context.emit(new TwinOutput(subject, OutputKind.ALERT,
                        GlucoseResources.predictedHypoglycaemia(subject, at, low.get()),
                        GlucoseResources.predictedHypoSummary(low.get())));
                after = after.withHypoAlertActive(true);
            } else if (after.hypoAlertActive() && mgPerDl >= HYPO_REARM_MG_PER_DL
                    && f.lowestWithin(HYPO_HORIZON_MINUTES) >= HYPO_REARM_MG_PER_DL) {
                after = after.withHypoAlertActive(false);
            }
        }

        boolean metricsDue = after.lastMetricsAt().map(last -> !Duration.between(last, at).minus(metricsEvery)
                .isNegative()).orElse(true);
        Optional<CgmMetrics> metrics = window;
        if (metricsDue && metrics.isPresent()) {
            context.emit(new TwinOutput(subject, OutputKind.OBSERVATION,
                    GlucoseResources.metrics(subject, metrics.get(), after.latestHba1c(), context.now()),
                    GlucoseResources.metricsSummary(metrics.get())));
            after = after.withLastMetricsAt(at);
        }
        return after;
    }

    @Override
    public void onErase(String subject, TwinContext context) {
        new CgmWindow(context.state(), subject, windowLength).erase();
        context.state().delete(subject, STATE_KEY);
    }

    /** Refuses a state value the store would refuse, with a clear message; values are bounded by design. */
    static void checkSize(String key, String value) {
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > StateStore.MAX_VALUE_BYTES) {
            throw new IllegalStateException("TB-GLUCOSE-010: state value '" + key + "' is " + bytes
                    + " bytes; the state store takes at most " + StateStore.MAX_VALUE_BYTES);
        }
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = GlucoseTwin.class.getResourceAsStream("glucose-twin.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("TB-GLUCOSE-011: cannot read glucose-twin.properties from the plugin jar",
                    e);
        }
        String version = properties.getProperty("version", "");
        if (version.isBlank() || version.contains("${")) {
            throw new IllegalStateException("TB-GLUCOSE-011: glucose-twin.properties in the plugin jar has no built"
                    + " version; build the plugin with Maven, which fills it in");
        }
        return version;
    }
}
