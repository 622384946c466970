package org.twinbridge.plugin.tumour;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
 * The tumour-response twin: fits a Gompertz growth model with a Norton-Simon chemotherapy term to each
 * subject's serial tumour measurements, simulates every regimen in its catalogue and the untreated course to a
 * horizon, and projects each one's RECIST 1.1 category. A decision-support demonstration, not a medical device.
 *
 * <p><b>What it emits.</b> Whenever a measurement changes the subject's series of RECIST assessments and there
 * are at least two: per regimen (untreated first) an {@link OutputKind#OBSERVATION} with the predicted sum of
 * diameters week by week, then one {@link OutputKind#RISK_ASSESSMENT} with every regimen's projected category.
 * Administrations only update the history the next fit uses.
 *
 * <p><b>State.</b> {@link #STATE_KEY} holds the measurements and administrations read (at most
 * {@value TumourState#MAX_ENTRIES} of each). Instances are immutable and thread-safe.
 */
@Extension
public final class TumourTwin implements TwinModel {

    /** The plugin id; equals the jar's pf4j {@code Plugin-Id}. */
    public static final String ID = "tumour-twin";
    static final String STATE_KEY = "tumour.twin";

    private final TumourInputMapper mapper;
    private final RegimenProjector projector;
    private final PluginManifest manifest;

    /** The twin with the regimens bundled in its jar and a 24-week horizon; the constructor pf4j calls. */
    public TumourTwin() {
        this(RegimenCatalogue.bundled(), RegimenProjector.DEFAULT_HORIZON_WEEKS);
    }

    /** A twin with another catalogue or horizon. */
    TumourTwin(RegimenCatalogue catalogue, int horizonWeeks) {
        this.mapper = new TumourInputMapper(catalogue);
        this.projector = new RegimenProjector(catalogue, horizonWeeks);
        Set<CodeFilter> codes = TumourInputMapper.SIZE_CODES.stream().map(CodeFilter::loinc)
                .collect(Collectors.toUnmodifiableSet());
        this.manifest = new PluginManifest(ID, version(), "TwinBridge",
                "Tumour growth and chemotherapy response by regimen, with projected RECIST 1.1 category"
                        + " (decision-support demonstration, not a medical device)",
                new DataRequest(Set.of("Observation", "MedicationAdministration"), codes, Set.of("TREAT")),
                List.of(OutputKind.OBSERVATION, OutputKind.RISK_ASSESSMENT));
    }

    @Override
    public PluginManifest manifest() {
        return manifest;
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        Optional<TumourInput> read = mapper.map(record.resource());
        if (read.isEmpty()) {
            return;
        }
        String subject = record.subject();
        StateStore store = context.state();
        TumourState state = store.get(subject, STATE_KEY).flatMap(TumourStateText::decode).orElse(TumourState.EMPTY);
        Instant at = record.effectiveTime().orElseGet(context::now);
        TumourInput input = read.get();
        if (input instanceof TumourInput.Administration given) {
            save(store, subject, state.with(new TumourState.Given(at, given.drug(), given.dose())));
            return;
        }
        TumourInput.Measurement measured = (TumourInput.Measurement) input;
        state = state.with(new TumourState.Measured(at, measured.site(), measured.sizeMm()));
        List<TargetLesions.Assessment> assessments = TargetLesions.assessments(state.measurements());
        String fingerprint = TargetLesions.fingerprint(assessments);
        Optional<RegimenProjector.Projection> projection = fingerprint.equals(state.projectedFrom())
                ? Optional.empty() : projector.project(assessments, state.administrations());
        if (projection.isPresent()) {
            int weeks = projector.horizonWeeks();
            for (RegimenProjector.Outcome outcome : projection.get().outcomes()) {
                context.emit(new TwinOutput(subject, OutputKind.OBSERVATION,
                        TumourResources.forecast(subject, projection.get(), outcome, context.now()),
                        TumourResources.forecastSummary(outcome, weeks)));
            }
            context.emit(new TwinOutput(subject, OutputKind.RISK_ASSESSMENT,
                    TumourResources.response(subject, projection.get(), weeks),
                    TumourResources.responseSummary(projection.get(), weeks)));
            state = state.projectedFrom(fingerprint);
        }
        save(store, subject, state);
    }

    @Override
    public void onErase(String subject, TwinContext context) {
        context.state().delete(subject, STATE_KEY);
    }

    private static void save(StateStore store, String subject, TumourState state) {
        String text = TumourStateText.encode(state);
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > StateStore.MAX_VALUE_BYTES) {
            throw new IllegalStateException("TB-TUMOUR-010: state value '" + STATE_KEY + "' is " + bytes
                    + " bytes; the state store takes at most " + StateStore.MAX_VALUE_BYTES);
        }
        store.put(subject, STATE_KEY, text);
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = TumourTwin.class.getResourceAsStream("tumour-twin.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("TB-TUMOUR-011: cannot read tumour-twin.properties from the plugin jar", e);
        }
        String version = properties.getProperty("version", "");
        if (version.isBlank() || version.contains("${")) {
            throw new IllegalStateException("TB-TUMOUR-011: tumour-twin.properties in the plugin jar has no built"
                    + " version; build the plugin with Maven, which fills it in");
        }
        return version;
    }
}
