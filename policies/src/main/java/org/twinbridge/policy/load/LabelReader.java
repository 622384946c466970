package org.twinbridge.policy.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.twinbridge.policy.model.SensitivityLabels;
import org.twinbridge.policy.yaml.YamlSection;

/**
 * Reads {@code labels.yaml}:
 * <pre>
 * labels:
 *   - label: HIV
 *     codes:
 *       - { system: "http://hl7.org/fhir/sid/icd-10-cm", prefix: B20 }
 *       - { system: "http://hl7.org/fhir/sid/icd-10", range: "B20-B24" }
 *       - { system: "http://snomed.info/sct", code: "86406008" }
 * </pre>
 * Each code line gives exactly one of {@code code}, {@code prefix} or {@code range} ({@code FROM-TO}, inclusive,
 * compared on the leading characters). A group may say where its list comes from ({@code source}).
 */
final class LabelReader {

    private LabelReader() {
    }

    static SensitivityLabels read(YamlSection top) {
        top.allowOnly(Set.of("labels"));
        List<SensitivityLabels.Entry> entries = new ArrayList<>();
        for (YamlSection group : top.sections("labels")) {
            group.allowOnly(Set.of("label", "description", "source", "codes"));
            String label = group.requireString("label", "label: HIV");
            if (!label.isEmpty() && !SensitivityLabels.KNOWN_LABELS.contains(label)) {
                group.errorAt("label", "TB-POLICY-005", "unknown sensitivity label '" + label
                        + "'; expected an HL7 v3 ActCode such as HIV, PSY, ETH, SDV, SEX, GDIS");
            }
            for (YamlSection code : group.sections("codes")) {
                code.allowOnly(Set.of("system", "code", "prefix", "range", "display"));
                String system = code.requireString("system", "system: http://snomed.info/sct");
                Optional<String> exact = code.string("code");
                Optional<String> prefix = code.string("prefix");
                Optional<String> range = code.string("range");
                int given = (exact.isPresent() ? 1 : 0) + (prefix.isPresent() ? 1 : 0) + (range.isPresent() ? 1 : 0);
                if (given != 1) {
                    code.errorAt("code", "TB-POLICY-014", "give exactly one of 'code', 'prefix' or 'range'");
                    continue;
                }
                if (range.isPresent()) {
                    range(code, label, system, range.get()).ifPresent(entries::add);
                } else {
                    entries.add(new SensitivityLabels.Entry(label, system, exact.orElseGet(prefix::get),
                            prefix.isPresent()));
                }
            }
        }
        return new SensitivityLabels(entries);
    }

    private static Optional<SensitivityLabels.Entry> range(YamlSection code, String label, String system,
            String text) {
        String[] ends = text.split("-", -1);
        if (ends.length == 2 && !ends[0].isBlank() && !ends[1].isBlank()) {
            try {
                return Optional.of(new SensitivityLabels.Entry(label, system, ends[0].strip(),
                        SensitivityLabels.Match.RANGE, ends[1].strip()));
            } catch (IllegalArgumentException backwards) {
                // reported below
            }
        }
        code.errorAt("range", "TB-POLICY-016", "range '" + text + "' must be two codes, first to last, such as "
                + "'B20-B24' (ICD-10 categories B20 to B24 and their subcodes)");
        return Optional.empty();
    }
}
