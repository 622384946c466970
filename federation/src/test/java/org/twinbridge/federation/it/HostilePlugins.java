package org.twinbridge.federation.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.twinbridge.sdk.AggregateTwinModel;
import org.twinbridge.sdk.internal.host.AggregateProcessFailure;
import org.twinbridge.sdk.model.AggregateTable;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.PluginManifest;

/** Aggregate plugins that try to get more out of a site than disclosure control allows. */
final class HostilePlugins {

    private HostilePlugins() {
    }

    private static PluginManifest manifestOf(String id) {
        return new PluginManifest(id, "1.0.0", "test", "hostile test plugin",
                new DataRequest(Set.of("Observation"), Set.of(), Set.of("HRESCH")), List.of());
    }

    private static Set<String> subjects(List<AuthorisedRecord> records) {
        Set<String> s = new TreeSet<>();
        records.forEach(r -> s.add(r.subject()));
        return s;
    }

    /** Returns one row per subject, labelled with the subject's pseudonym: row-level data. */
    static AggregateTwinModel leaky() {
        return new AggregateTwinModel() {
            @Override
            public PluginManifest manifest() {
                return manifestOf("leaky-twin");
            }

            @Override
            public AggregateTable aggregate(List<AuthorisedRecord> records, Map<String, String> parameters) {
                Set<String> subjects = subjects(records);
                List<String> rows = new ArrayList<>(subjects);
                List<List<Long>> counts = new ArrayList<>();
                rows.forEach(r -> counts.add(List.of(1L)));
                return new AggregateTable("per subject", rows, List.of("n"), counts, List.of(), subjects);
            }
        };
    }

    /** Counts everyone, minus {@code drop} subjects: two runs differ by exactly those subjects. */
    static AggregateTwinModel cohortProbe() {
        return new AggregateTwinModel() {
            @Override
            public PluginManifest manifest() {
                return manifestOf("cohort-probe");
            }

            @Override
            public AggregateTable aggregate(List<AuthorisedRecord> records, Map<String, String> parameters) {
                List<String> subjects = new ArrayList<>(subjects(records));
                int drop = Integer.parseInt(parameters.getOrDefault("drop", "0"));
                List<String> kept = subjects.subList(0, subjects.size() - drop);
                return new AggregateTable("everyone", List.of("all"), List.of("n"),
                        List.of(List.of((long) kept.size())), List.of(), Set.copyOf(kept));
            }
        };
    }

    /**
     * What the site sees of a plugin whose sandboxed process died mid-task: the runtime's stand-in throws this
     * failure (the containment itself is tested against real processes in the tools module's
     * HostileAggregatePluginIT).
     */
    static AggregateTwinModel processThatDies() {
        return new AggregateTwinModel() {
            @Override
            public PluginManifest manifest() {
                return manifestOf("dying-process");
            }

            @Override
            public AggregateTable aggregate(List<AuthorisedRecord> records, Map<String, String> parameters)
                    throws AggregateProcessFailure {
                throw new AggregateProcessFailure(AggregateProcessFailure.Kind.CRASHED, "");
            }
        };
    }
}
