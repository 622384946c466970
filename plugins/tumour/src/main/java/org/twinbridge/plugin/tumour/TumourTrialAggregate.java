package org.twinbridge.plugin.tumour;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.pf4j.Extension;
import org.twinbridge.sdk.AggregateTwinModel;
import org.twinbridge.sdk.model.AggregateTable;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.CodeFilter;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * The tumour twin's in-silico trial, for a federated task: projects every regimen of the catalogue, and the
 * untreated course, over each eligible subject of a site, and counts the projected RECIST 1.1 categories per
 * regimen. A subject is eligible with at least {@value RegimenProjector#MIN_ASSESSMENTS} tumour assessments
 * (parameter {@code min-assessments} may ask for more). It returns counts and each regimen's mean change at the
 * horizon, never a subject's own projection. Stateless between calls; a decision-support demonstration, not a
 * medical device.
 */
@Extension
public final class TumourTrialAggregate implements AggregateTwinModel {

    private final TumourInputMapper mapper;
    private final RegimenProjector projector;
    private final RegimenCatalogue catalogue;
    private final PluginManifest manifest;

    /** The trial over the regimens bundled in the jar, to the default 24-week horizon; pf4j calls this. */
    public TumourTrialAggregate() {
        this.catalogue = RegimenCatalogue.bundled();
        this.mapper = new TumourInputMapper(catalogue);
        this.projector = new RegimenProjector(catalogue, RegimenProjector.DEFAULT_HORIZON_WEEKS);
        Set<CodeFilter> codes = TumourInputMapper.SIZE_CODES.stream().map(CodeFilter::loinc)
                .collect(Collectors.toUnmodifiableSet());
        PluginManifest twin = new TumourTwin().manifest();
        this.manifest = new PluginManifest(TumourTwin.ID, twin.version(), twin.vendor(),
                "In-silico trial: projected RECIST 1.1 category by chemotherapy regimen over a site's eligible "
                        + "cohort (decision-support demonstration, not a medical device)",
                new DataRequest(Set.of("Observation", "MedicationAdministration"), codes, Set.of("HRESCH")),
                List.of());
    }

    @Override
    public PluginManifest manifest() {
        return manifest;
    }

    @Override
    public AggregateTable aggregate(List<AuthorisedRecord> records, Map<String, String> parameters) {
        Map<String, String> unused = new LinkedHashMap<>(parameters);
        unused.remove("min-assessments");
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("unknown parameter(s) " + unused.keySet() + "; this plugin takes "
                    + "min-assessments");
        }
        int minAssessments = Integer.parseInt(parameters.getOrDefault("min-assessments",
                Integer.toString(RegimenProjector.MIN_ASSESSMENTS)));
        if (minAssessments < RegimenProjector.MIN_ASSESSMENTS || minAssessments > 50) {
            throw new IllegalArgumentException("min-assessments must be from " + RegimenProjector.MIN_ASSESSMENTS
                    + " to 50");
        }
        Map<String, List<TumourState.Measured>> measured = new TreeMap<>();
        Map<String, List<TumourState.Given>> given = new TreeMap<>();
        for (AuthorisedRecord record : records) {
            Optional<TumourInput> input = mapper.map(record.resource());
            if (input.isEmpty() || record.effectiveTime().isEmpty()) {
                continue;
            }
            Instant at = record.effectiveTime().get();
            if (input.get() instanceof TumourInput.Measurement m) {
                measured.computeIfAbsent(record.subject(), s -> new ArrayList<>())
                        .add(new TumourState.Measured(at, m.site(), m.sizeMm()));
            } else if (input.get() instanceof TumourInput.Administration a) {
                given.computeIfAbsent(record.subject(), s -> new ArrayList<>())
                        .add(new TumourState.Given(at, a.drug(), a.dose()));
            }
        }
        List<String> regimens = new ArrayList<>();
        regimens.add(Regimen.UNTREATED.id());
        catalogue.regimens().forEach(r -> regimens.add(r.id()));
        List<String> categories = new ArrayList<>();
        for (RecistCategory c : RecistCategory.values()) {
            categories.add(c.name());
        }
        long[][] counts = new long[regimens.size()][categories.size()];
        double[] change = new double[regimens.size()];
        Set<String> contributors = new HashSet<>();
        for (Map.Entry<String, List<TumourState.Measured>> subject : measured.entrySet()) {
            List<TargetLesions.Assessment> assessments = TargetLesions.assessments(subject.getValue());
            if (assessments.size() < minAssessments) {
                continue;
            }
            Optional<RegimenProjector.Projection> projection = projector.project(assessments,
                    given.getOrDefault(subject.getKey(), List.of()));
            if (projection.isEmpty()) {
                continue;
            }
            contributors.add(subject.getKey());
            for (RegimenProjector.Outcome outcome : projection.get().outcomes()) {
                int row = regimens.indexOf(outcome.regimen().id());
                counts[row][outcome.category().ordinal()]++;
                change[row] += outcome.changePercent();
            }
        }
        List<List<Long>> rows = new ArrayList<>();
        List<AggregateTable.Statistic> statistics = new ArrayList<>();
        for (int r = 0; r < regimens.size(); r++) {
            List<Long> row = new ArrayList<>();
            for (long v : counts[r]) {
                row.add(v);
            }
            rows.add(row);
            if (!contributors.isEmpty()) {
                statistics.add(new AggregateTable.Statistic("mean change in sum of diameters at week "
                        + projector.horizonWeeks() + " (%) | " + regimens.get(r), contributors.size(),
                        change[r] / contributors.size()));
            }
        }
        return new AggregateTable("projected RECIST 1.1 category at week " + projector.horizonWeeks()
                + " by regimen", regimens, categories, rows, statistics, contributors);
    }
}
