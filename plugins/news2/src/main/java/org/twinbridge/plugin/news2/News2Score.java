package org.twinbridge.plugin.news2;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A NEWS2 score, and the chart that computes it: the Royal College of Physicians' National Early Warning
 * Score 2 (2017), band for band. Pure and thread-safe; it depends on nothing but the JDK.
 *
 * <p>The chart lists whole numbers (temperature to one decimal), so a measured value is first rounded the
 * way it would be charted: half up to a whole number, temperature half up to one decimal. Without that,
 * a pulse of 90.6 would fall between the 51-90 and 91-110 bands.
 *
 * <p>The score covers the parameters present. Supplemental oxygen that was never observed is taken to be
 * air, as the chart does ({@link #airAssumed()}); consciousness that was never observed is
 * {@linkplain #missing() missing}, never assumed alert.
 *
 * @param total           the sum of {@code parameterScores}
 * @param band            the clinical risk band for the total and the highest single-parameter score
 * @param parameterScores the score, 0 to 3, of each parameter present (air or oxygen always counts)
 * @param missing         the parameters that were not observed; disjoint from {@code parameterScores}
 * @param airAssumed      true if no oxygen observation was present and air was assumed
 * @param scale           the SpO2 scale used
 */
public record News2Score(
        int total,
        RiskBand band,
        Map<Parameter, Integer> parameterScores,
        Set<Parameter> missing,
        boolean airAssumed,
        SpO2Scale scale) {

    private static final BigDecimal T35_0 = new BigDecimal("35.0");
    private static final BigDecimal T36_0 = new BigDecimal("36.0");
    private static final BigDecimal T38_0 = new BigDecimal("38.0");
    private static final BigDecimal T39_0 = new BigDecimal("39.0");

    public News2Score {
        Objects.requireNonNull(band, "band");
        Objects.requireNonNull(scale, "scale");
        parameterScores = Collections.unmodifiableMap(withKeys(parameterScores));
        missing = missing.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(missing));
        int sum = 0;
        int highest = 0;
        for (int score : parameterScores.values()) {
            if (score < 0 || score > 3) {
                throw new IllegalArgumentException(
                        "TB-NEWS2-006: a parameter score is " + score + "; it must be 0 to 3");
            }
            sum += score;
            highest = Math.max(highest, score);
        }
        if (sum != total || band != RiskBand.of(total, highest)) {
            throw new IllegalArgumentException("TB-NEWS2-007: total " + total + " (" + band.code()
                    + ") does not match the parameter scores, which sum to " + sum);
        }
        for (Parameter parameter : Parameter.values()) {
            if (parameterScores.containsKey(parameter) == missing.contains(parameter)) {
                throw new IllegalArgumentException("TB-NEWS2-008: " + parameter.label()
                        + " must be either scored or missing, not both or neither");
            }
        }
    }

    /** Scores the vital signs present on the chosen SpO2 scale. */
    public static News2Score of(VitalSigns vitals, SpO2Scale scale) {
        Map<Parameter, Integer> scores = new EnumMap<>(Parameter.class);
        boolean onOxygen = vitals.supplementalOxygen().orElse(false);

        vitals.respirationRate().ifPresent(v -> scores.put(Parameter.RESPIRATION_RATE, respirationRate(v)));
        vitals.oxygenSaturation().ifPresent(v -> scores.put(Parameter.OXYGEN_SATURATION,
                scale == SpO2Scale.SCALE_1 ? oxygenSaturationScale1(v) : oxygenSaturationScale2(v, onOxygen)));
        scores.put(Parameter.AIR_OR_OXYGEN, airOrOxygen(onOxygen));
        vitals.systolicBloodPressure()
                .ifPresent(v -> scores.put(Parameter.SYSTOLIC_BLOOD_PRESSURE, systolicBloodPressure(v)));
        vitals.pulse().ifPresent(v -> scores.put(Parameter.PULSE, pulse(v)));
        vitals.consciousness().ifPresent(v -> scores.put(Parameter.CONSCIOUSNESS, consciousness(v)));
        vitals.temperature().ifPresent(v -> scores.put(Parameter.TEMPERATURE, temperature(v)));

        Set<Parameter> missing = EnumSet.allOf(Parameter.class);
        missing.removeAll(scores.keySet());
        int total = scores.values().stream().mapToInt(Integer::intValue).sum();
        int highest = scores.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new News2Score(total, RiskBand.of(total, highest), scores, missing,
                vitals.supplementalOxygen().isEmpty(), scale);
    }

    /** True if all seven parameters were observed (an assumed air reading counts as observed). */
    public boolean complete() {
        return missing.isEmpty();
    }

    /** Respiration rate, breaths per minute: ≤8 → 3, 9-11 → 1, 12-20 → 0, 21-24 → 2, ≥25 → 3. */
    public static int respirationRate(double perMinute) {
        long rate = charted(perMinute, "respiration rate");
        if (rate <= 8) {
            return 3;
        }
        if (rate <= 11) {
            return 1;
        }
        if (rate <= 20) {
            return 0;
        }
        return rate <= 24 ? 2 : 3;
    }

    /** SpO2 scale 1, %: ≤91 → 3, 92-93 → 2, 94-95 → 1, ≥96 → 0. */
    public static int oxygenSaturationScale1(double percent) {
        long saturation = charted(percent, "SpO2");
        if (saturation <= 91) {
            return 3;
        }
        if (saturation <= 93) {
            return 2;
        }
        return saturation <= 95 ? 1 : 0;
    }

    /**
     * SpO2 scale 2, %: ≤83 → 3, 84-85 → 2, 86-87 → 1, 88-92 → 0, ≥93 on air → 0; on oxygen 93-94 → 1,
     * 95-96 → 2, ≥97 → 3 (over-oxygenation is the risk being scored).
     */
    public static int oxygenSaturationScale2(double percent, boolean onOxygen) {
        long saturation = charted(percent, "SpO2");
        if (saturation <= 83) {
            return 3;
        }
        if (saturation <= 85) {
            return 2;
        }
        if (saturation <= 87) {
            return 1;
        }
        if (saturation <= 92 || !onOxygen) {
            return 0;
        }
        if (saturation <= 94) {
            return 1;
        }
        return saturation <= 96 ? 2 : 3;
    }

    /** Air or oxygen: oxygen → 2, air → 0. */
    public static int airOrOxygen(boolean onOxygen) {
        return onOxygen ? 2 : 0;
    }

    /** Systolic blood pressure, mmHg: ≤90 → 3, 91-100 → 2, 101-110 → 1, 111-219 → 0, ≥220 → 3. */
    public static int systolicBloodPressure(double mmHg) {
        long pressure = charted(mmHg, "systolic blood pressure");
        if (pressure <= 90) {
            return 3;
        }
        if (pressure <= 100) {
            return 2;
        }
        if (pressure <= 110) {
            return 1;
        }
        return pressure <= 219 ? 0 : 3;
    }

    /** Pulse, beats per minute: ≤40 → 3, 41-50 → 1, 51-90 → 0, 91-110 → 1, 111-130 → 2, ≥131 → 3. */
    public static int pulse(double perMinute) {
        long rate = charted(perMinute, "pulse");
        if (rate <= 40) {
            return 3;
        }
        if (rate <= 50) {
            return 1;
        }
        if (rate <= 90) {
            return 0;
        }
        if (rate <= 110) {
            return 1;
        }
        return rate <= 130 ? 2 : 3;
    }

    /** Consciousness: alert → 0; new confusion, voice, pain or unresponsive → 3. */
    public static int consciousness(Consciousness level) {
        return Objects.requireNonNull(level, "level") == Consciousness.ALERT ? 0 : 3;
    }

    /** Temperature, °C: ≤35.0 → 3, 35.1-36.0 → 1, 36.1-38.0 → 0, 38.1-39.0 → 1, ≥39.1 → 2. */
    public static int temperature(double celsius) {
        requireFinite(celsius, "temperature");
        // BigDecimal.valueOf keeps the decimal the value was written with, so 36.05 rounds to 36.1, not 36.0.
        BigDecimal charted = BigDecimal.valueOf(celsius).setScale(1, RoundingMode.HALF_UP);
        if (charted.compareTo(T35_0) <= 0) {
            return 3;
        }
        if (charted.compareTo(T36_0) <= 0) {
            return 1;
        }
        if (charted.compareTo(T38_0) <= 0) {
            return 0;
        }
        return charted.compareTo(T39_0) <= 0 ? 1 : 2;
    }

    private static long charted(double value, String parameter) {
        requireFinite(value, parameter);
        return Math.round(value); // half up: 20.5 charts as 21
    }

    private static void requireFinite(double value, String parameter) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("TB-NEWS2-002: " + parameter + " must be a finite number");
        }
    }

    private static Map<Parameter, Integer> withKeys(Map<Parameter, Integer> scores) {
        // EnumMap's copy constructor rejects an empty plain map, so start from an empty EnumMap.
        Map<Parameter, Integer> copy = new EnumMap<>(Parameter.class);
        copy.putAll(scores);
        return copy;
    }
}
