package org.twinbridge.plugin.implant;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.pf4j.Extension;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.CodeFilter;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.twinbridge.sdk.model.TwinOutput;

/**
 * The implanted cardiac device twin: follows a pacemaker's battery and leads from its remote-monitoring readings,
 * forecasts the date of the elective replacement indicator (ERI) with a 90% interval ({@link EriForecast}), and
 * raises alerts for lead-impedance jumps, rising pacing thresholds ({@link LeadMonitor}), an ERI within
 * {@value #ERI_SOON_DAYS} days and an ERI reached. Decision support for a device clinic, not a diagnostic device.
 *
 * <p><b>What it emits.</b> At most once per day of reading time, a device-status {@link OutputKind#OBSERVATION}
 * (latest values, 90-day trends, ERI forecast). An {@link OutputKind#ALERT} when a check newly fails; it re-arms
 * when the check passes again, so one problem gives one alert.
 *
 * <p><b>State.</b> {@link #STATE_KEY}: the subject's readings per measure and the active alerts
 * ({@link DeviceHistory}). Instances are immutable and thread-safe.
 */
@Extension
public final class ImplantTwin implements TwinModel {

    /** The plugin id; equals the jar's pf4j {@code Plugin-Id}. */
    public static final String ID = "implant-twin";
    static final String STATE_KEY = "implant.history";
    static final int ERI_SOON_DAYS = 90;

    private final PluginManifest manifest = new PluginManifest(ID, version(), "TwinBridge",
            "Pacemaker battery ERI forecast and lead alerts from remote monitoring"
                    + " (decision support, not a diagnostic device)",
            new DataRequest(Set.of("Observation"), Arrays.stream(Measure.values())
                    .map(m -> new CodeFilter(m.system(), m.code())).collect(Collectors.toUnmodifiableSet()),
                    Set.of("TREAT")),
            List.of(OutputKind.OBSERVATION, OutputKind.ALERT));

    @Override
    public PluginManifest manifest() {
        return manifest;
    }

    @Override
    public void onRecord(AuthorisedRecord record, TwinContext context) {
        Optional<Reading> read = Reading.of(record.resource());
        if (read.isEmpty()) {
            return;
        }
        Reading reading = read.get();
        String subject = record.subject();
        DeviceHistory history = context.state().get(subject, STATE_KEY).map(DeviceHistory::decode)
                .orElseGet(DeviceHistory::new);
        history.add(reading);
        Instant at = reading.at();
        if (reading.measure().isImpedance() || reading.measure().isThreshold()) {
            String key = reading.measure().name();
            Optional<LeadMonitor.Finding> finding = LeadMonitor.check(history, reading.measure(), at);
            if (finding.isPresent() && !history.alertActive(key)) {
                context.emit(new TwinOutput(subject, OutputKind.ALERT,
                        ImplantOutputs.alert(subject, at, finding.get().kind(), finding.get().words()),
                        finding.get().words()));
            }
            history.setAlert(key, finding.isPresent());
        }
        if (reading.measure() == Measure.BATTERY_LONGEVITY || reading.measure() == Measure.BATTERY_VOLTAGE) {
            batteryAlerts(subject, at, history, context);
        }
        if (history.lastStatus().isEmpty() || !history.lastStatus().get().plus(Duration.ofDays(1)).isAfter(at)) {
            context.emit(new TwinOutput(subject, OutputKind.OBSERVATION, ImplantOutputs.status(subject, at, history),
                    "Implant status and ERI forecast"));
            history.setLastStatus(at);
        }
        context.state().put(subject, STATE_KEY, history.encode());
    }

    private static void batteryAlerts(String subject, Instant at, DeviceHistory history, TwinContext context) {
        var voltage = history.series(Measure.BATTERY_VOLTAGE).headMap(at, true);
        var longevity = history.series(Measure.BATTERY_LONGEVITY).headMap(at, true);
        boolean reached = (!voltage.isEmpty() && voltage.lastEntry().getValue() <= EriForecast.ERI_VOLTAGE)
                || (!longevity.isEmpty() && longevity.lastEntry().getValue() <= 0);
        raiseOnce("eri-reached", reached, !reached, subject, at, "Battery at elective replacement indicator",
                history, context);
        Optional<Instant> expected = EriForecast.of(history, at).map(EriForecast.Forecast::expected);
        boolean soon = expected.filter(e -> e.isBefore(at.plus(Duration.ofDays(ERI_SOON_DAYS)))).isPresent();
        // Re-armed only well clear of the limit, so that whole-month longevity figures do not make it flap.
        boolean clear = expected.filter(e -> e.isAfter(at.plus(Duration.ofDays(ERI_SOON_DAYS + 60)))).isPresent();
        raiseOnce("eri-approaching", soon && !reached, clear, subject, at, "Battery forecast to reach ERI within "
                + ERI_SOON_DAYS + " days", history, context);
    }

    /** Emits an alert when the condition starts to hold; it can fire again only after {@code clear} held. */
    private static void raiseOnce(String kind, boolean condition, boolean clear, String subject, Instant at,
            String words, DeviceHistory history, TwinContext context) {
        if (condition && !history.alertActive(kind)) {
            context.emit(new TwinOutput(subject, OutputKind.ALERT, ImplantOutputs.alert(subject, at, kind, words),
                    words));
            history.setAlert(kind, true);
        } else if (clear) {
            history.setAlert(kind, false);
        }
    }

    @Override
    public void onErase(String subject, TwinContext context) {
        context.state().delete(subject, STATE_KEY);
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = ImplantTwin.class.getResourceAsStream("implant-twin.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "0.0.0");
    }
}
