package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.util.Terser;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads fields by their HL7 position (segment-field.component.subcomponent), the same way for every version:
 * the canonical v2.8 model types some fields differently from older versions, but positions do not change.
 * Values come back unescaped, trimmed, and never null. Reading never adds repetitions to the segment.
 */
final class Fields {

    private Fields() {
    }

    /** The repetitions of a field that hold something. */
    static List<Type> reps(Segment segment, int field) {
        List<Type> reps = new ArrayList<>();
        if (field > segment.numFields()) {
            return reps;
        }
        try {
            for (Type rep : segment.getField(field)) {
                if (!rep.isEmpty()) {
                    reps.add(rep);
                }
            }
        } catch (HL7Exception e) {
            return reps;
        }
        return reps;
    }

    /** Whether a segment or group holds nothing (HAPI creates empty ones when a getter is called). */
    static boolean blank(Structure structure) {
        try {
            return structure.isEmpty();
        } catch (HL7Exception e) {
            return true;
        }
    }

    /** Whether the field holds anything. */
    static boolean present(Segment segment, int field) {
        return !reps(segment, field).isEmpty();
    }

    /** Component 1 of the first repetition. */
    static String first(Segment segment, int field) {
        return component(segment, field, 1);
    }

    /** Component {@code c} of the first repetition. */
    static String component(Segment segment, int field, int c) {
        List<Type> reps = reps(segment, field);
        return reps.isEmpty() ? "" : get(reps.get(0), c, 1);
    }

    /** Component {@code c}, subcomponent {@code s} of a field value. */
    static String get(Type type, int c, int s) {
        Type value = type instanceof Varies varies ? varies.getData() : type;
        try {
            Primitive primitive = Terser.getPrimitive(value, c, s);
            String text = primitive == null ? null : primitive.getValue();
            return text == null ? "" : text.trim();
        } catch (RuntimeException e) {
            // Terser throws for positions a type cannot have; for our reading that is simply "absent".
            return "";
        }
    }

    /** Component {@code c} (subcomponent 1) of a field value. */
    static String get(Type type, int c) {
        return get(type, c, 1);
    }
}
