package org.twinbridge.sdk;

import java.util.List;
import java.util.Map;
import org.pf4j.ExtensionPoint;
import org.twinbridge.sdk.model.AggregateTable;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * A model that runs where the data is, for a federated task, and returns an aggregate: the extension point for
 * in-silico trials and cohort statistics across sites (annotate the class with {@code @org.pf4j.Extension}).
 *
 * <p><b>Contract.</b> For one task a site calls {@link #aggregate} once, with every record its policy and its
 * patients' consents let this plugin see for the task's purpose, already projected and pseudonymised in a key
 * domain that lives for that one task only. The plugin returns one {@link AggregateTable}. The site, not the
 * plugin, decides what leaves: it applies disclosure control (minimum cell counts with complementary
 * suppression, minimum cohort, category cap, noise on continuous values) and refuses any output that looks
 * row-level. A plugin cannot make a site release more by what it returns; it can only make the site decline.
 *
 * <p>Calls for different tasks may run one after another on one instance, never concurrently. Implementations
 * must not keep records between calls.
 */
public interface AggregateTwinModel extends ExtensionPoint {

    /** What this plugin is and what data it asks for. Must be constant for the life of the instance. */
    PluginManifest manifest();

    /**
     * Computes the aggregate over one site's authorised records.
     *
     * @param records    the records this plugin may see for the task, in no particular order; never null
     * @param parameters the task's parameters as the coordinator sent them (names and values of at most 80
     *                   characters); never null
     * @return the aggregate, naming in {@link AggregateTable#contributors()} the subjects counted in it; never null
     * @throws Exception any failure; the site reports the task as failed, without the records' content
     */
    AggregateTable aggregate(List<AuthorisedRecord> records, Map<String, String> parameters) throws Exception;
}
