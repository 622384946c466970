package org.twinbridge.plugin.implant;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Validates the twin's model on synthetic traces ({@link DeviceTraceGenerator}):
 * <ol>
 *   <li>ERI forecast at 24, 12, 6 and 3 months before the true ERI, against the naive use of the device's latest
 *       longevity (reading date + months), with the twin's 90% interval coverage;</li>
 *   <li>lead checks: the share of faults alerted within 28 days of onset, by fault, and false lead alerts per
 *       device-year on fault-free devices.</li>
 * </ol>
 * Run {@link #main} to print the README's tables.
 */
final class ImplantValidation {

    static final int[] MONTHS_BEFORE = {24, 12, 6, 3};

    record EriResult(double[] twinMaeDays, double[] deviceMaeDays, double[] coverage, int devices) {
    }

    record FaultResult(double fractureDetected, double breachDetected, double exitBlockDetected,
            double falseAlertsPerDeviceYear, int devicesPerGroup) {
    }

    private ImplantValidation() {
    }

    static EriResult eri(int devices, long seed) {
        double[] twin = new double[MONTHS_BEFORE.length];
        double[] device = new double[MONTHS_BEFORE.length];
        double[] covered = new double[MONTHS_BEFORE.length];
        int[] counted = new int[MONTHS_BEFORE.length];
        for (int d = 0; d < devices; d++) {
            DeviceTraceGenerator.Trace trace = DeviceTraceGenerator.generate(seed + d, DeviceTraceGenerator.Fault.NONE);
            for (int h = 0; h < MONTHS_BEFORE.length; h++) {
                Instant now = trace.eri().minus(Duration.ofDays(Math.round(MONTHS_BEFORE[h] * 365.25 / 12)));
                DeviceHistory history = new DeviceHistory();
                trace.readings().stream().filter(r -> !r.at().isAfter(now)).forEach(history::add);
                Optional<EriForecast.Forecast> f = EriForecast.of(history, now);
                var longevity = history.series(Measure.BATTERY_LONGEVITY).lastEntry();
                if (f.isEmpty() || longevity == null) {
                    continue;
                }
                Instant naive = longevity.getKey().plus(Duration.ofDays(Math.round(longevity.getValue() * 365.25
                        / 12)));
                twin[h] += Math.abs(days(f.get().expected(), trace.eri()));
                device[h] += Math.abs(days(naive, trace.eri()));
                covered[h] += !trace.eri().isBefore(f.get().lower()) && !trace.eri().isAfter(f.get().upper()) ? 1 : 0;
                counted[h]++;
            }
        }
        for (int h = 0; h < MONTHS_BEFORE.length; h++) {
            twin[h] /= counted[h];
            device[h] /= counted[h];
            covered[h] /= counted[h];
        }
        return new EriResult(twin, device, covered, devices);
    }

    static FaultResult faults(int devicesPerGroup, long seed) {
        double[] detected = new double[3];
        DeviceTraceGenerator.Fault[] faults = {DeviceTraceGenerator.Fault.FRACTURE,
            DeviceTraceGenerator.Fault.INSULATION_BREACH, DeviceTraceGenerator.Fault.EXIT_BLOCK};
        for (int f = 0; f < faults.length; f++) {
            for (int d = 0; d < devicesPerGroup; d++) {
                DeviceTraceGenerator.Trace trace = DeviceTraceGenerator.generate(seed + 1000L * (f + 1) + d, faults[f]);
                Instant onset = trace.faultOnset().orElseThrow();
                Optional<Instant> first = firstLeadAlert(trace, onset.minus(Duration.ofDays(120)),
                        onset.plus(Duration.ofDays(faults[f] == DeviceTraceGenerator.Fault.EXIT_BLOCK ? 56 : 28)), faults[f] == DeviceTraceGenerator.Fault.EXIT_BLOCK
                                ? Measure.RV_THRESHOLD : Measure.RV_IMPEDANCE);
                if (first.isPresent() && !first.get().isBefore(onset)) {
                    detected[f]++;
                }
            }
            detected[f] /= devicesPerGroup;
        }
        int falseAlerts = 0;
        double years = 0;
        for (int d = 0; d < devicesPerGroup; d++) {
            DeviceTraceGenerator.Trace trace = DeviceTraceGenerator.generate(seed + 9000L + d,
                    DeviceTraceGenerator.Fault.NONE);
            falseAlerts += countLeadAlerts(trace);
            years += Duration.between(trace.readings().get(0).at(), trace.eri()).toDays() / 365.25;
        }
        return new FaultResult(detected[0], detected[1], detected[2], falseAlerts / years, devicesPerGroup);
    }

    /** Replays the lead readings as the twin does (alert once until the check passes again). */
    private static Optional<Instant> firstLeadAlert(DeviceTraceGenerator.Trace trace, Instant from, Instant to,
            Measure measure) {
        DeviceHistory history = new DeviceHistory();
        for (Reading r : trace.readings()) {
            if (r.at().isAfter(to)) {
                break;
            }
            if (r.measure() != measure) {
                continue;
            }
            history.add(r);
            if (!r.at().isBefore(from) && LeadMonitor.check(history, measure, r.at()).isPresent()) {
                return Optional.of(r.at());
            }
        }
        return Optional.empty();
    }

    private static int countLeadAlerts(DeviceTraceGenerator.Trace trace) {
        DeviceHistory history = new DeviceHistory();
        int alerts = 0;
        for (Reading r : trace.readings()) {
            if (!r.measure().isImpedance() && !r.measure().isThreshold()) {
                continue;
            }
            history.add(r);
            boolean failing = LeadMonitor.check(history, r.measure(), r.at()).isPresent();
            if (failing && !history.alertActive(r.measure().name())) {
                alerts++;
            }
            history.setAlert(r.measure().name(), failing);
        }
        return alerts;
    }

    private static long days(Instant a, Instant b) {
        return Duration.between(b, a).toDays();
    }

    static String tables(EriResult eri, FaultResult faults) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "ERI forecast, %d devices%n", eri.devices()));
        out.append("| months before ERI | twin MAE (days) | device's latest longevity MAE (days) | twin 90% interval coverage |\n");
        out.append("|---|---|---|---|\n");
        for (int h = 0; h < MONTHS_BEFORE.length; h++) {
            out.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f%% |%n", MONTHS_BEFORE[h],
                    eri.twinMaeDays()[h], eri.deviceMaeDays()[h], 100 * eri.coverage()[h]));
        }
        out.append(String.format(Locale.ROOT, "%nLead checks, %d devices per group%n", faults.devicesPerGroup()));
        out.append("| fault | alerted within 28 days of onset (exit block: 56 days) |\n|---|---|\n");
        out.append(String.format(Locale.ROOT, "| conductor fracture (impedance x1.6-3) | %.0f%% |%n",
                100 * faults.fractureDetected()));
        out.append(String.format(Locale.ROOT, "| insulation breach (impedance x0.45-0.65) | %.0f%% |%n",
                100 * faults.breachDetected()));
        out.append(String.format(Locale.ROOT, "| exit block (threshold +0.15 V/week) | %.0f%% |%n",
                100 * faults.exitBlockDetected()));
        out.append(String.format(Locale.ROOT, "False lead alerts on fault-free devices: %.3f per device-year%n",
                faults.falseAlertsPerDeviceYear()));
        return out.toString();
    }

    public static void main(String[] args) {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        System.out.print(tables(eri(devices, 42), faults(devices, 42)));
    }
}
