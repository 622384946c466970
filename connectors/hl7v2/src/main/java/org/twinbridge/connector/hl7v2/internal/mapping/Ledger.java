package org.twinbridge.connector.hl7v2.internal.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Resource;

/**
 * Keeps account of one message's mapping, so that nothing is dropped silently: which fields of which segments
 * were mapped, and which resource each segment belongs to. Afterwards it names, per resource, every non-empty
 * field that was not mapped ({@code OBX-17}) and every segment that was not looked at ({@code ZPI}, {@code NK1}).
 *
 * <p>A segment belongs to the resource it was mapped to; otherwise to the last mapped segment's resource before
 * it in the same group (NTE after OBX, PV2 after PV1); otherwise to its group's resource (ORC in an order);
 * otherwise to the message's primary resource. Not thread-safe: one ledger per message.
 */
final class Ledger {

    private final Map<Segment, Set<Integer>> mapped = new IdentityHashMap<>();
    private final Map<Structure, Resource> owners = new IdentityHashMap<>();
    private final Map<Segment, Integer> positions = new IdentityHashMap<>();
    private final Map<Segment, Integer> sequences = new IdentityHashMap<>();
    private final Map<String, Integer> perName = new java.util.HashMap<>();

    /** Numbers every segment of the message in document order; positions identify segments in source ids. */
    Ledger(Group message) throws HL7Exception {
        number(message);
    }

    private void number(Group group) throws HL7Exception {
        for (String name : group.getNames()) {
            for (Structure s : group.getAll(name)) {
                if (s instanceof Group child) {
                    number(child);
                } else if (s instanceof Segment segment && !segment.isEmpty()) {
                    positions.put(segment, positions.size() + 1);
                    sequences.put(segment, perName.merge(segment.getName(), 1, Integer::sum));
                }
            }
        }
    }

    /** The 1-based position of a segment in the message. */
    int position(Segment segment) {
        Integer position = positions.get(segment);
        if (position == null) {
            throw new IllegalStateException("segment " + segment.getName() + " is not part of this message");
        }
        return position;
    }

    /** Which occurrence of its name a segment is in the message, from 1 (the sequence in an ERR location). */
    int sequence(Segment segment) {
        position(segment);
        return sequences.get(segment);
    }

    /** Records fields as mapped (the segment then counts as looked at, even with no field). */
    void mapped(Segment segment, int... fields) {
        Set<Integer> set = mapped.computeIfAbsent(segment, s -> new TreeSet<>());
        for (int field : fields) {
            set.add(field);
        }
    }

    /** The resource a segment or group belongs to. */
    void own(Structure structure, Resource resource) {
        owners.put(structure, resource);
    }

    /** Per resource, the names of unmapped fields and segments, in message order. */
    Map<Resource, List<String>> unmapped(Group message, Resource primary) throws HL7Exception {
        Map<Resource, Set<String>> found = new IdentityHashMap<>();
        walk(message, owners.getOrDefault(message, primary), found);
        Map<Resource, List<String>> result = new IdentityHashMap<>();
        found.forEach((resource, names) -> result.put(resource, List.copyOf(names)));
        return result;
    }

    private void walk(Group group, Resource inherited, Map<Resource, Set<String>> found) throws HL7Exception {
        Resource groupOwner = owners.getOrDefault(group, inherited);
        Resource current = groupOwner;
        for (String name : group.getNames()) {
            for (Structure s : group.getAll(name)) {
                if (s instanceof Group child) {
                    walk(child, current, found);
                    continue;
                }
                Segment segment = (Segment) s;
                if (segment.isEmpty()) {
                    continue;
                }
                Resource owner = owners.get(segment);
                if (owner != null) {
                    current = owner;
                } else {
                    owner = current;
                }
                for (String unmappedName : unmappedIn(segment)) {
                    found.computeIfAbsent(owner, r -> new LinkedHashSet<>()).add(unmappedName);
                }
            }
        }
    }

    private List<String> unmappedIn(Segment segment) {
        Set<Integer> fields = mapped.get(segment);
        if (fields == null) {
            return List.of(segment.getName());
        }
        List<String> names = new ArrayList<>();
        for (int field = 1; field <= segment.numFields(); field++) {
            if (!fields.contains(field) && Fields.present(segment, field)) {
                names.add(segment.getName() + "-" + field);
            }
        }
        return names;
    }
}
