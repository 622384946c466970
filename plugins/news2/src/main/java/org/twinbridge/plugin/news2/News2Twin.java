package org.twinbridge.plugin.news2;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Observation;
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
 * The NEWS2 early-warning twin: keeps each subject's latest vital signs and emits their NEWS2 score, risk
 * band and, on escalation, an alert. A decision-support demonstration, not a medical device.
 *
 * <p><b>When it scores.</b> Once respiration rate, SpO2, systolic blood pressure, pulse and temperature have
 * all been observed. Consciousness may still be missing: it is the parameter most often left uncharted, and
 * a partial score that says so (in the summary and an Observation note) is more useful than none. Air is
 * assumed until an inhaled-oxygen observation says otherwise, as the chart does.
 *
 * <p><b>When it emits.</b> Only when the total or the band differs from the last score emitted for the
 * subject, so that a stream of unchanged vitals does not flood the sinks; a change in completeness alone (a
 * consciousness reading of "alert" arriving later) therefore emits nothing. Each emission is an
 * {@link OutputKind#OBSERVATION} and a {@link OutputKind#RISK_ASSESSMENT}, plus an {@link OutputKind#ALERT}
 * when the band rises above the previous one (a first score counts as rising from low). A falling band,
 * for example high to medium, is not an escalation and raises no alert.
 *
 * <p><b>State.</b> Two small text values per subject, under {@link #VITALS_KEY} and {@link #SCORES_KEY}; no
 * patient data is held anywhere else, so erasure is complete. Instances are immutable and thread-safe.
 */
@Extension
public final class News2Twin implements TwinModel {

    /** The plugin id; equals the jar's pf4j {@code Plugin-Id}. */
    public static final String ID = "news2-twin";
    /** State key of the subject's latest vital signs. */
    static final String VITALS_KEY = "news2.vitals";
    /** State key of the subject's recent emitted scores. */
    static final String SCORES_KEY = "news2.scores";

    private static final Set<Parameter> REQUIRED_TO_SCORE = EnumSet.of(Parameter.RESPIRATION_RATE,
            Parameter.OXYGEN_SATURATION, Parameter.SYSTOLIC_BLOOD_PRESSURE, Parameter.PULSE, Parameter.TEMPERATURE);

    private final SpO2Scale scale;
    private final LoincVitalSignMapper mapper = new LoincVitalSignMapper();
    private final PluginManifest manifest;

    /** A twin on SpO2 scale 1, the chart's default; this is the constructor pf4j calls. */
    public News2Twin() {
        this(SpO2Scale.SCALE_1);
    }

    /**
     * A twin that scores every subject on the given SpO2 scale. Scale 2 is a per-patient clinical decision;
     * choosing it for a whole twin suits only a cohort where that decision has been made for everyone.
     */
    public News2Twin(SpO2Scale scale) {
        this.scale = Objects.requireNonNull(scale, "scale");
        Set<CodeFilter> codes = LoincVitalSignMapper.LOINC_CODES.stream()
                .map(CodeFilter::loinc)
                .collect(Collectors.toUnmodifiableSet());
        this.manifest = new PluginManifest(ID, version(), "TwinBridge",
                "NEWS2 early-warning score from vital signs (decision-support demonstration, not a medical device)",
                new DataRequest(Set.of("Observation"), codes, Set.of("TREAT")),
                List.of(OutputKind.OBSERVATION, OutputKind.RISK_ASSESSMENT, OutputKind.ALERT));
    }

    /** The SpO2 scale this twin scores on. */
    public SpO2Scale scale() {
        return scale;
    }

    @Override
    public PluginManifest manifest() {
        return manifest;
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        if (!(record.resource() instanceof Observation observation)) {
            return;
        }
        LoincVitalSignMapper.Mapping mapping = mapper.map(observation, record.effectiveTime());
        if (mapping.readings().isEmpty()) {
            return;
        }
        String subject = record.subject();
        StateStore state = context.state();
        VitalSigns before = state.get(subject, VITALS_KEY).map(StateFormat::decodeVitals).orElse(VitalSigns.NONE);
        VitalSigns vitals = before;
        for (VitalSignReading reading : mapping.readings()) {
            vitals = vitals.with(reading);
        }
        if (vitals.equals(before)) {
            return; // a repeat or an older reading: nothing new to score
        }
        put(state, subject, VITALS_KEY, StateFormat.encode(vitals));
        if (!vitals.latest().keySet().containsAll(REQUIRED_TO_SCORE)) {
            return;
        }

        News2Score score = News2Score.of(vitals, scale);
        ScoreHistory history =
                state.get(subject, SCORES_KEY).map(StateFormat::decodeHistory).orElse(ScoreHistory.EMPTY);
        Optional<ScoreHistory.Entry> previous = history.last();
        if (previous.isPresent() && previous.get().total() == score.total() && previous.get().band() == score.band()) {
            return;
        }
        Instant at = record.effectiveTime().orElseGet(context::now);
        put(state, subject, SCORES_KEY,
                StateFormat.encode(history.append(new ScoreHistory.Entry(at, score.total(), score.band()))));

        Optional<Trend> trend = previous.map(p -> Trend.between(p.total(), score.total()));
        context.emit(new TwinOutput(subject, OutputKind.OBSERVATION,
                News2Resources.scoreObservation(subject, score, record.effectiveTime(), context.now()),
                News2Resources.scoreSummary(score, trend)));
        context.emit(new TwinOutput(subject, OutputKind.RISK_ASSESSMENT,
                News2Resources.riskAssessment(subject, score, record.effectiveTime()),
                News2Resources.riskSummary(score.band(), trend)));
        RiskBand previousBand = previous.map(ScoreHistory.Entry::band).orElse(RiskBand.LOW);
        if (score.band().isAbove(previousBand)) {
            context.emit(new TwinOutput(subject, OutputKind.ALERT,
                    News2Resources.escalationFlag(subject, score.band(), at),
                    News2Resources.escalationSummary(score.band())));
        }
    }

    @Override
    public void onErase(String subject, TwinContext context) {
        context.state().delete(subject, VITALS_KEY);
        context.state().delete(subject, SCORES_KEY);
    }

    private static void put(StateStore state, String subject, String key, String value) {
        // Both values are bounded by design (seven lines; ten lines), so this only fails on a bug; checking
        // here gives a clear message instead of the store's.
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > StateStore.MAX_VALUE_BYTES) {
            throw new IllegalStateException("TB-NEWS2-010: state value '" + key + "' is " + bytes
                    + " bytes; the state store takes at most " + StateStore.MAX_VALUE_BYTES);
        }
        state.put(subject, key, value);
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = News2Twin.class.getResourceAsStream("news2-twin.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("TB-NEWS2-011: cannot read news2-twin.properties from the plugin jar", e);
        }
        String version = properties.getProperty("version", "");
        if (version.isBlank() || version.contains("${")) {
            throw new IllegalStateException("TB-NEWS2-011: news2-twin.properties in the plugin jar has no built"
                    + " version; build the plugin with Maven, which fills it in");
        }
        return version;
    }
}
