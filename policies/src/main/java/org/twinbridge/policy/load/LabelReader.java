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
 *       - { system: "http://snomed.info/sct", code: "86406008" }
 * </pre>
 */
final class LabelReader {

    private LabelReader() {
    }

    static SensitivityLabels read(YamlSection top) {
        top.allowOnly(Set.of("labels"));
        List<SensitivityLabels.Entry> entries = new ArrayList<>();
        for (YamlSection group : top.sections("labels")) {
            group.allowOnly(Set.of("label", "description", "codes"));
            String label = group.requireString("label", "label: HIV");
            if (!label.isEmpty() && !SensitivityLabels.KNOWN_LABELS.contains(label)) {
                group.errorAt("label", "TB-POLICY-005", "unknown sensitivity label '" + label
                        + "'; expected an HL7 v3 ActCode such as HIV, PSY, ETH, SDV, SEX, GDIS");
            }
            for (YamlSection code : group.sections("codes")) {
                code.allowOnly(Set.of("system", "code", "prefix", "display"));
                String system = code.requireString("system", "system: http://snomed.info/sct");
                Optional<String> exact = code.string("code");
                Optional<String> prefix = code.string("prefix");
                if (exact.isPresent() == prefix.isPresent()) {
                    code.errorAt("code", "TB-POLICY-014", "give exactly one of 'code' or 'prefix'");
                    continue;
                }
                entries.add(new SensitivityLabels.Entry(label, system, exact.orElseGet(prefix::get), prefix.isPresent()));
            }
        }
        return new SensitivityLabels(entries);
    }
}
