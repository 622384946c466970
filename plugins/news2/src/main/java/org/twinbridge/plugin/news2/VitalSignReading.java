package org.twinbridge.plugin.news2;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One value of one NEWS2 parameter, read from a record. Immutable.
 *
 * <p>{@link #toString()} of each case prints the parameter only: the value is patient data.
 */
public sealed interface VitalSignReading
        permits VitalSignReading.Measurement, VitalSignReading.OxygenSupply, VitalSignReading.Level {

    /** The parameter this reading is a value of. */
    Parameter parameter();

    /** When the value was true clinically, if the record said. */
    Optional<Instant> effective();

    /** True if this reading should replace {@code older}: it is not known to be earlier. */
    default boolean supersedes(VitalSignReading older) {
        // Records may arrive out of clinical order (back-loaded history); an untimed reading is taken to be
        // current because journal order is then the only order there is.
        return effective().isEmpty()
                || older.effective().isEmpty()
                || !effective().get().isBefore(older.effective().get());
    }

    /**
     * A numeric parameter in its charted unit: breaths/min, %, mmHg, beats/min or degrees Celsius.
     *
     * @param parameter a {@linkplain Parameter#isNumeric() numeric} parameter
     * @param value     finite; not negative except for temperature; SpO2 at most 100
     */
    record Measurement(Parameter parameter, double value, Optional<Instant> effective) implements VitalSignReading {
        public Measurement {
            Objects.requireNonNull(parameter, "parameter");
            Objects.requireNonNull(effective, "effective");
            if (!parameter.isNumeric()) {
                throw new IllegalArgumentException("TB-NEWS2-001: " + parameter.label()
                        + " is not a numeric parameter; use OxygenSupply or Level");
            }
            if (!accepts(parameter, value)) {
                // The value itself is patient data, so the message names only the parameter.
                throw new IllegalArgumentException("TB-NEWS2-002: " + parameter.label()
                        + " value out of range; it must be finite, not negative, and SpO2 at most 100");
            }
        }

        /** True if {@code value} is a valid value of the numeric {@code parameter}. */
        public static boolean accepts(Parameter parameter, double value) {
            return Double.isFinite(value)
                    && (parameter == Parameter.TEMPERATURE || value >= 0)
                    && (parameter != Parameter.OXYGEN_SATURATION || value <= 100);
        }

        @Override
        public String toString() {
            return "Measurement[" + parameter + "]";
        }
    }

    /** Whether the patient breathes supplemental oxygen ({@code true}) or room air. */
    record OxygenSupply(boolean supplemental, Optional<Instant> effective) implements VitalSignReading {
        public OxygenSupply {
            Objects.requireNonNull(effective, "effective");
        }

        @Override
        public Parameter parameter() {
            return Parameter.AIR_OR_OXYGEN;
        }

        @Override
        public String toString() {
            return "OxygenSupply[]";
        }
    }

    /** A level of consciousness on the ACVPU scale. */
    record Level(Consciousness level, Optional<Instant> effective) implements VitalSignReading {
        public Level {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(effective, "effective");
        }

        @Override
        public Parameter parameter() {
            return Parameter.CONSCIOUSNESS;
        }

        @Override
        public String toString() {
            return "Level[]";
        }
    }
}
