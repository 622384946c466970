package org.twinbridge.plugin.glucose;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plain-text form of {@link TwinState}: a header line naming the format and version, then one named line
 * per part. Numbers are written with {@link Double#toString}, which reads back exactly, so a model restored
 * from the store forecasts exactly as it would have without the round trip.
 *
 * <p>A value that cannot be read (another version, or damage) reads as empty, and the twin starts again from
 * its priors rather than failing every later delivery.
 */
final class TwinStateText {

    /** Version 2: the model gained its return term (five parameters); a version 1 value starts from priors. */
    static final String HEADER = "glucose-twin 2";
    private static final String NONE = "-";

    private TwinStateText() {
    }

    static String encode(TwinState state) {
        OnlineArxModel.Snapshot model = state.model();
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        line(out, "theta", model.theta());
        line(out, "covariance", model.covariance());
        out.append("noise ").append(model.noiseVariance()).append('\n');
        out.append("updates ").append(model.updates()).append('\n');
        line(out, "levels", model.levels());
        out.append("last ").append(model.lastTime().map(Instant::toString).orElse(NONE)).append('\n');
        state.doses().carbs().forEach(d -> out.append("carbs ").append(d.at()).append(' ').append(d.amount())
                .append('\n'));
        state.doses().insulin().forEach(d -> out.append("insulin ").append(d.at()).append(' ')
                .append(d.amount()).append('\n'));
        out.append("hypo-alert ").append(state.hypoAlertActive() ? "active" : "clear").append('\n');
        out.append("metrics-at ").append(state.lastMetricsAt().map(Instant::toString).orElse(NONE)).append('\n');
        state.latestHba1c().ifPresent(v -> out.append("hba1c ").append(v.at()).append(' ').append(v.value())
                .append('\n'));
        state.latestLabGlucose().ifPresent(v -> out.append("lab-glucose ").append(v.at()).append(' ')
                .append(v.value()).append('\n'));
        return out.toString();
    }

    static Optional<TwinState> decode(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            return Optional.empty();
        }
        try {
            List<Double> theta = null;
            List<Double> covariance = null;
            double noise = Double.NaN;
            long updates = -1;
            List<Double> levels = List.of();
            Optional<Instant> last = Optional.empty();
            List<AbsorptionCurve.Dose> carbs = new ArrayList<>();
            List<AbsorptionCurve.Dose> insulin = new ArrayList<>();
            boolean alert = false;
            Optional<Instant> metricsAt = Optional.empty();
            Optional<TwinState.Timed> hba1c = Optional.empty();
            Optional<TwinState.Timed> lab = Optional.empty();
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].trim().split(" ");
                switch (f[0]) {
                    case "theta": theta = numbers(f); break;
                    case "covariance": covariance = numbers(f); break;
                    case "noise": noise = Double.parseDouble(f[1]); break;
                    case "updates": updates = Long.parseLong(f[1]); break;
                    case "levels": levels = numbers(f); break;
                    case "last": last = instant(f[1]); break;
                    case "carbs": carbs.add(new AbsorptionCurve.Dose(Instant.parse(f[1]), Double.parseDouble(f[2])));
                        break;
                    case "insulin":
                        insulin.add(new AbsorptionCurve.Dose(Instant.parse(f[1]), Double.parseDouble(f[2])));
                        break;
                    case "hypo-alert": alert = f[1].equals("active"); break;
                    case "metrics-at": metricsAt = instant(f[1]); break;
                    case "hba1c": hba1c = Optional.of(new TwinState.Timed(Double.parseDouble(f[2]),
                            Instant.parse(f[1]))); break;
                    case "lab-glucose": lab = Optional.of(new TwinState.Timed(Double.parseDouble(f[2]),
                            Instant.parse(f[1]))); break;
                    default: return Optional.empty();
                }
            }
            if (theta == null || covariance == null || updates < 0) {
                return Optional.empty();
            }
            OnlineArxModel.Snapshot model = new OnlineArxModel.Snapshot(theta, covariance, noise, updates, levels,
                    last);
            return Optional.of(new TwinState(model, new MealsAndInsulin(carbs, insulin), alert, metricsAt, hba1c,
                    lab));
        } catch (DateTimeParseException | IllegalArgumentException | ArrayIndexOutOfBoundsException unreadable) {
            return Optional.empty();
        }
    }

    private static void line(StringBuilder out, String name, List<Double> values) {
        out.append(name);
        values.forEach(v -> out.append(' ').append(v));
        out.append('\n');
    }

    private static List<Double> numbers(String[] fields) {
        List<Double> values = new ArrayList<>();
        for (int i = 1; i < fields.length; i++) {
            values.add(Double.parseDouble(fields[i]));
        }
        return values;
    }

    private static Optional<Instant> instant(String field) {
        return NONE.equals(field) ? Optional.empty() : Optional.of(Instant.parse(field));
    }
}
