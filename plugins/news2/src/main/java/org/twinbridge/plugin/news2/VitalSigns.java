package org.twinbridge.plugin.news2;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The latest reading of each NEWS2 parameter for one subject. Immutable; a parameter never read is absent.
 *
 * <p>{@link #toString()} names the parameters present, never their values.
 *
 * @param latest the latest reading per parameter; each key must equal its reading's parameter
 */
public record VitalSigns(Map<Parameter, VitalSignReading> latest) {

    /** No readings at all. */
    public static final VitalSigns NONE = new VitalSigns(Map.of());

    public VitalSigns {
        latest.forEach((parameter, reading) -> {
            if (reading.parameter() != Objects.requireNonNull(parameter, "parameter")) {
                throw new IllegalArgumentException("TB-NEWS2-005: a " + reading.parameter().label()
                        + " reading was filed under " + parameter.label());
            }
        });
        latest = Map.copyOf(latest);
    }

    /**
     * These vital signs with {@code reading} as the latest value of its parameter, unless the reading held
     * already is known to be more recent; then this instance is returned unchanged.
     */
    public VitalSigns with(VitalSignReading reading) {
        VitalSignReading held = latest.get(reading.parameter());
        if (held != null && (held.equals(reading) || !reading.supersedes(held))) {
            return this;
        }
        Map<Parameter, VitalSignReading> next = new EnumMap<>(Parameter.class);
        next.putAll(latest);
        next.put(reading.parameter(), reading);
        return new VitalSigns(next);
    }

    /** True if a value of this parameter has been read. */
    public boolean has(Parameter parameter) {
        return latest.containsKey(parameter);
    }

    /** The latest reading of a parameter, if any. */
    public Optional<VitalSignReading> reading(Parameter parameter) {
        return Optional.ofNullable(latest.get(parameter));
    }

    /** Breaths per minute. */
    public OptionalDouble respirationRate() {
        return measurement(Parameter.RESPIRATION_RATE);
    }

    /** Peripheral oxygen saturation, in %. */
    public OptionalDouble oxygenSaturation() {
        return measurement(Parameter.OXYGEN_SATURATION);
    }

    /** True on supplemental oxygen, false on air; empty if not observed (the chart then assumes air). */
    public Optional<Boolean> supplementalOxygen() {
        return reading(Parameter.AIR_OR_OXYGEN).map(r -> ((VitalSignReading.OxygenSupply) r).supplemental());
    }

    /** Systolic blood pressure, in mmHg. */
    public OptionalDouble systolicBloodPressure() {
        return measurement(Parameter.SYSTOLIC_BLOOD_PRESSURE);
    }

    /** Pulse rate, in beats per minute. */
    public OptionalDouble pulse() {
        return measurement(Parameter.PULSE);
    }

    /** Level of consciousness; empty if not observed (never assumed to be alert). */
    public Optional<Consciousness> consciousness() {
        return reading(Parameter.CONSCIOUSNESS).map(r -> ((VitalSignReading.Level) r).level());
    }

    /** Temperature, in degrees Celsius. */
    public OptionalDouble temperature() {
        return measurement(Parameter.TEMPERATURE);
    }

    private OptionalDouble measurement(Parameter parameter) {
        VitalSignReading reading = latest.get(parameter);
        return reading == null
                ? OptionalDouble.empty()
                : OptionalDouble.of(((VitalSignReading.Measurement) reading).value());
    }

    @Override
    public String toString() {
        StringBuilder present = new StringBuilder("VitalSigns[");
        for (Parameter parameter : Parameter.values()) {
            if (latest.containsKey(parameter)) {
                present.append(present.length() > "VitalSigns[".length() ? ", " : "").append(parameter);
            }
        }
        return present.append(']').toString();
    }
}
