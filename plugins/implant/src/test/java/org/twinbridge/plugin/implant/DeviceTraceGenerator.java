package org.twinbridge.plugin.implant;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Synthetic pacemaker remote-monitoring traces from a documented depletion model, with optional lead faults.
 *
 * <p><b>Battery</b> (lithium-iodine-like): usable capacity {@code Q0} = 1.0 Ah × (1 + N(0, 0.05)) per device. The
 * current drain is {@code I = 5 µA + 9 µA × p(t)}, where {@code p} is the fraction of beats paced by the single
 * RV lead (a single-chamber system, as the lead measurements below): it starts
 * uniform in [0.05, 0.95] and, about every 400 days, changes by N(0, 0.2) (clamped to [0.01, 1]). The loaded
 * voltage at remaining fraction {@code q} is {@code V(q) = 2.80 − 0.10 (1 − q) − 0.30 exp(−q / 0.08)} volts:
 * flat for years, then a knee. ERI is the first day {@code V ≤ 2.50 V}.
 *
 * <p><b>What the device reports, weekly</b>: voltage (+N(0, 5 mV), in 10 mV steps); remaining longevity in whole
 * months, which the device computes from its voltage-based remaining capacity (nominal 1.0 Ah, so it is wrong by
 * the cell's own deviation) and its mean drain of the last 30 days (so it jumps when pacing changes); RV pacing
 * threshold (baseline 0.5-1.0 V, noise N(0, 0.08 V), in 0.125 V steps); RV impedance (baseline 400-900 Ω, ±4%
 * noise, a slow drift); RV percentage paced ({@code 100 p}, MDC_IDC_STAT_BRADY_RV_PERCENT_PACED).
 *
 * <p><b>Faults</b> from a random onset in years 2 to 6: a conductor fracture multiplies impedance by 1.6-3; an
 * insulation breach by 0.45-0.65; an exit block raises the threshold by 0.15 V a week.
 */
final class DeviceTraceGenerator {

    enum Fault { NONE, FRACTURE, INSULATION_BREACH, EXIT_BLOCK }

    /** A trace: readings in time order, the true ERI date and the fault onset (if any). */
    record Trace(List<Reading> readings, Instant eri, Optional<Instant> faultOnset, Fault fault) {
    }

    static final double NOMINAL_AH = 1.0;
    private static final double ERI_Q = qAt(EriForecast.ERI_VOLTAGE);

    private DeviceTraceGenerator() {
    }

    static double voltage(double q) {
        return 2.80 - 0.10 * (1 - q) - 0.30 * Math.exp(-q / 0.08);
    }

    /** The remaining fraction at which the voltage curve reaches {@code v} (bisection). */
    static double qAt(double v) {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (voltage(mid) > v) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return (lo + hi) / 2;
    }

    static Trace generate(long seed, Fault fault) {
        Random r = new Random(seed);
        Instant implant = Instant.parse("2015-01-05T09:00:00Z").plus(Duration.ofDays(r.nextInt(700)));
        double q0Ah = 1.0 * (1 + 0.05 * r.nextGaussian());
        double p = 0.05 + 0.9 * r.nextDouble();
        double threshold0 = 0.5 + 0.5 * r.nextDouble();
        double impedance0 = 400 + 500 * r.nextDouble();
        double drift = (r.nextDouble() - 0.5) * 20; // Ω per year
        int onsetDay = 730 + r.nextInt(1461);
        double fractureFactor = 1.6 + 1.4 * r.nextDouble();
        double breachFactor = 0.45 + 0.2 * r.nextDouble();
        double usedAh = 0;
        double[] drainHistory = new double[30];
        List<Reading> readings = new ArrayList<>();
        Instant eri = null;
        for (int day = 0; eri == null || day < Duration.between(implant, eri).toDays() + 30; day++) {
            if (r.nextDouble() < 1.0 / 400) {
                p = Math.max(0.01, Math.min(1, p + 0.2 * r.nextGaussian()));
            }
            double microAmps = 5 + 9 * p;
            usedAh += microAmps * 24 / 1e6;
            drainHistory[day % 30] = microAmps;
            double q = Math.max(0, 1 - usedAh / q0Ah);
            Instant t = implant.plus(Duration.ofDays(day));
            if (eri == null && voltage(q) <= EriForecast.ERI_VOLTAGE) {
                eri = t;
            }
            if (day % 7 != 0 || day == 0) {
                continue;
            }
            double v = Math.round((voltage(q) + 0.005 * r.nextGaussian()) * 100) / 100.0;
            readings.add(new Reading(Measure.BATTERY_VOLTAGE, t, v));
            double meanDrain = 0;
            int n = Math.min(day + 1, 30);
            for (int k = 0; k < n; k++) {
                meanDrain += drainHistory[k];
            }
            meanDrain /= n;
            double qEstimated = q; // the device reads its charge state from voltage and coulomb counting
            double remainingAh = Math.max(0, qEstimated - ERI_Q) * NOMINAL_AH;
            double months = Math.floor(remainingAh * 1e6 / meanDrain / 24 / (365.25 / 12));
            readings.add(new Reading(Measure.BATTERY_LONGEVITY, t, months));
            double threshold = threshold0 + 0.08 * r.nextGaussian();
            double impedance = (impedance0 + drift * day / 365.0) * (1 + 0.04 * r.nextGaussian());
            if (day >= onsetDay) {
                switch (fault) {
                    case FRACTURE -> impedance *= fractureFactor;
                    case INSULATION_BREACH -> impedance *= breachFactor;
                    case EXIT_BLOCK -> threshold += 0.15 * (day - onsetDay) / 7.0;
                    case NONE -> { }
                }
            }
            readings.add(new Reading(Measure.RV_THRESHOLD, t, Math.max(0.125, Math.round(threshold * 8) / 8.0)));
            readings.add(new Reading(Measure.RV_IMPEDANCE, t, Math.round(impedance)));
            readings.add(new Reading(Measure.RV_PERCENT_PACED, t, Math.round(p * 1000) / 10.0));
        }
        Optional<Instant> onset = fault == Fault.NONE ? Optional.empty()
                : Optional.of(implant.plus(Duration.ofDays(onsetDay)));
        return new Trace(readings, eri, onset, fault);
    }
}
