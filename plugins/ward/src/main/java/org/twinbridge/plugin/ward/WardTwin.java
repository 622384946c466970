package org.twinbridge.plugin.ward;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.pf4j.Extension;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * The ward operations twin: from the Encounters the HL7 v2 connector maps from ADT (admit, transfer, discharge,
 * update and their cancellations), a live census per ward with lengths of stay so far, and a 24-hour bed-demand
 * forecast by hour with a 90% interval ({@link BedDemandForecast}). It acts for hospital operations (HOPERAT) and
 * needs no patient identity: wards and patients are pseudonyms, and only times, statuses and wards are read.
 *
 * <p><b>What it emits.</b> For each Encounter that changes where someone is, a census {@link OutputKind#OBSERVATION}
 * for each ward concerned. Once per hour of stream time, a forecast {@link OutputKind#OBSERVATION} per ward (once a
 * ward has a day of history and a few finished stays). "Now" is the latest event time heard, so a replay gives
 * the same outputs as the live stream did.
 *
 * <p><b>State.</b> Per patient ({@link #EPISODES_KEY}): the facts heard about each of their stays, so that
 * out-of-order and cancelling messages are merged by event time ({@link Episode}). Hospital-wide, under the
 * subject {@link #HOSPITAL}: each pseudonym's ward stays of the last four weeks ({@link HospitalIndex}). Erasing a
 * patient removes both. Instances are immutable and thread-safe.
 */
@Extension
public final class WardTwin implements TwinModel {

    /** The plugin id; equals the jar's pf4j {@code Plugin-Id}. */
    public static final String ID = "ward-twin";
    static final String EPISODES_KEY = "ward.episodes";
    static final String INDEX_KEY = "ward.index";
    /** The state subject of the hospital-wide index; not a patient pseudonym (those have no dot). */
    static final String HOSPITAL = "ward-twin.hospital";

    private final PluginManifest manifest = new PluginManifest(ID, version(), "TwinBridge",
            "Ward census, length of stay so far and 24-hour bed-demand forecast from ADT"
                    + " (operational aid, not a clinical device)",
            new DataRequest(Set.of("Encounter"), Set.of(), Set.of("HOPERAT")), List.of(OutputKind.OBSERVATION));

    @Override
    public PluginManifest manifest() {
        return manifest;
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        Optional<VisitUpdate> read = EncounterReader.read(record.resource());
        if (read.isEmpty()) {
            return;
        }
        VisitUpdate update = read.get();
        String subject = record.subject();
        Map<String, Episode> episodes = context.state().get(subject, EPISODES_KEY)
                .map(StateText::decodeEpisodes).orElseGet(LinkedHashMap::new);
        String key = update.admitted().map(Instant::toString).orElse("-");
        episodes.merge(key, Episode.of(update), (old, fresh) -> old.merge(update));
        context.state().put(subject, EPISODES_KEY, StateText.encodeEpisodes(episodes));

        StateText.IndexState state = loadIndex(context);
        List<WardStay> before = state.index().stays().getOrDefault(subject, List.of());
        List<WardStay> after = episodes.values().stream().flatMap(e -> e.stays().stream()).toList();
        HospitalIndex index = state.index().with(subject, after, eventTime(update));
        Optional<Instant> lastForecast = state.lastForecast();
        Instant now = index.clock().orElse(null);
        if (now != null) {
            Set<String> touched = new TreeSet<>();
            Stream.concat(before.stream(), after.stream()).forEach(s -> touched.add(s.ward()));
            for (String ward : touched) {
                emitCensus(ward, index, now, context);
            }
            Instant hour = now.truncatedTo(ChronoUnit.HOURS);
            if (lastForecast.isEmpty() || hour.isAfter(lastForecast.get())) {
                boolean any = false;
                for (String ward : index.wards()) {
                    Optional<BedDemandForecast.Forecast> forecast = BedDemandForecast.of(index, ward, now);
                    forecast.ifPresent(f -> context.emit(new TwinOutput(wardId(ward), OutputKind.OBSERVATION,
                            WardOutputs.forecast(f), WardOutputs.summary(ward, "24-hour bed-demand forecast"))));
                    any |= forecast.isPresent();
                }
                if (any) {
                    lastForecast = Optional.of(hour);
                }
            }
        }
        context.state().put(HOSPITAL, INDEX_KEY, StateText.encodeIndex(index, lastForecast));
    }

    @Override
    public void onErase(String subject, TwinContext context) {
        context.state().delete(subject, EPISODES_KEY);
        StateText.IndexState state = loadIndex(context);
        context.state().put(HOSPITAL, INDEX_KEY, StateText.encodeIndex(state.index().without(subject),
                state.lastForecast()));
    }

    private static void emitCensus(String ward, HospitalIndex index, Instant now, TwinContext context) {
        List<WardStay> occupants = index.occupants(ward, now);
        Instant dayAgo = now.minus(Duration.ofHours(24));
        List<WardStay> all = index.staysOn(ward);
        int arrivals = (int) all.stream().filter(s -> s.start().isAfter(dayAgo) && !s.start().isAfter(now)).count();
        int departures = (int) all.stream().filter(s -> s.end().isPresent() && s.end().get().isAfter(dayAgo)
                && !s.end().get().isAfter(now)).count();
        context.emit(new TwinOutput(wardId(ward), OutputKind.OBSERVATION,
                WardOutputs.census(ward, now, occupants, arrivals, departures),
                WardOutputs.summary(ward, "census " + occupants.size() + " beds")));
    }

    private static StateText.IndexState loadIndex(TwinContext context) {
        return context.state().get(HOSPITAL, INDEX_KEY).map(StateText::decodeIndex)
                .orElseGet(() -> new StateText.IndexState(HospitalIndex.empty(), Optional.empty()));
    }

    /** The latest time this version speaks of: it moves the twin's clock. */
    static Optional<Instant> eventTime(VisitUpdate update) {
        List<Instant> times = new ArrayList<>();
        update.admitted().ifPresent(times::add);
        update.discharged().ifPresent(times::add);
        update.statusTimes().forEach(s -> times.add(s.at()));
        update.arrivals().forEach(a -> times.add(a.at()));
        return times.stream().max(Instant::compareTo);
    }

    /** The output subject for a ward: its pseudonym, without the {@code Location/} prefix. */
    static String wardId(String ward) {
        String id = ward.substring(ward.indexOf('/') + 1);
        return id.length() > 64 ? id.substring(0, 64) : id;
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = WardTwin.class.getResourceAsStream("ward-twin.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "0.0.0");
    }
}
