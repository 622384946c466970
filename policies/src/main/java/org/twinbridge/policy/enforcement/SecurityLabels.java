package org.twinbridge.policy.enforcement;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.model.CodeSystems;
import org.twinbridge.policy.model.SensitivityLabels;

/**
 * Rebuilds a view's {@code meta.security} from codes alone: the known HL7 v3 ActCode sensitivity labels and
 * Confidentiality codes of the source, however their systems are spelt, and the labels the decision point
 * found. Each becomes a coding with system and code only. A sender's {@code display}, ids, versions,
 * extensions and codes from other systems never reach a view through the security labels.
 */
final class SecurityLabels {

    private static final Set<String> CONFIDENTIALITY = Set.of("U", "L", "M", "N", "R", "V");

    private SecurityLabels() {
    }

    static void rebuild(Resource source, Resource view, Set<String> decided) {
        Set<String> labels = new TreeSet<>(SensitivityLabels.existing(source));
        decided.stream().filter(SensitivityLabels.KNOWN_LABELS::contains).forEach(labels::add);
        Set<String> confidentiality = new TreeSet<>();
        if (source.hasMeta()) {
            for (Coding coding : source.getMeta().getSecurity()) {
                String code = coding.getCode() == null ? "" : coding.getCode().strip().toUpperCase(Locale.ROOT);
                if (CodeSystems.CONFIDENTIALITY.equals(CodeSystems.normalise(coding.getSystem()))
                        && CONFIDENTIALITY.contains(code)) {
                    confidentiality.add(code);
                }
            }
        }
        if (view.hasMeta()) {
            view.getMeta().getSecurity().clear();
        }
        confidentiality.forEach(code -> view.getMeta().addSecurity(new Coding(CodeSystems.CONFIDENTIALITY, code, null)));
        labels.forEach(code -> view.getMeta().addSecurity(new Coding(CodeSystems.ACT_CODE, code, null)));
        if (view.hasMeta() && view.getMeta().isEmpty()) {
            view.setMeta(null);
        }
    }
}
