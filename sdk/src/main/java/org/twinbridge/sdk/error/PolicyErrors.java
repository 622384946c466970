package org.twinbridge.sdk.error;

/**
 * Policy errors: policy files, their tests, enforcement of obligations and the YAML reader they share with the
 * configuration.
 * Part of the {@link ErrorCatalogue}; a constant's name is its code without the {@code TB-} prefix.
 */
public enum PolicyErrors implements ErrorCode {
    POLICY_001("TB-POLICY-001",
            "A rule field has a value that is not allowed (id, effect, recipients, consent, or an empty "
                    + "value); the message says what is allowed.",
            "Change the value at the file:line:column given to one the message allows."),
    POLICY_002("TB-POLICY-002",
            "Two rules in the policy set have the same id.",
            "Give each rule its own id."),
    POLICY_003("TB-POLICY-003",
            "A purpose of use is not an HL7 v3 PurposeOfUse code the node knows.",
            "Use a code such as TREAT, HRESCH, HOPERAT or PUBHLTH."),
    POLICY_004("TB-POLICY-004",
            "A rule's condition is not valid FHIRPath.",
            "Fix the expression; the message gives the FHIRPath parser's complaint."),
    POLICY_005("TB-POLICY-005",
            "A sensitivity label is not an HL7 v3 ActCode the node knows.",
            "Use a label such as HIV, PSY, ETH, SDV, SEX or GDIS."),
    POLICY_006("TB-POLICY-006",
            "A permit rule's 'project' does not match its resource types: it is missing, names a type the "
                    + "rule does not grant, or leaves a granted type out.",
            "List under 'project' the surviving elements of exactly the rule's resource types."),
    POLICY_007("TB-POLICY-007",
            "An element path in a rule is malformed or does not exist for its resource type.",
            "Write FHIR R4 element paths starting with one of the rule's resource types, such as "
                    + "Patient.address.postalCode."),
    POLICY_008("TB-POLICY-008",
            "A deny rule carries an obligation (project, redact, generalise, shift-dates), which only a "
                    + "permit rule can use.",
            "Remove the obligation from the deny rule."),
    POLICY_009("TB-POLICY-009",
            "A rule names something that is not a FHIR R4 resource type.",
            "Use FHIR R4 resource type names such as Observation or Condition."),
    POLICY_010("TB-POLICY-010",
            "A generalisation is not one the node supports.",
            "Use year, prefix(N) or age-cap(N)."),
    POLICY_011("TB-POLICY-011",
            "shift-dates is not a number of days from 1 to 3650.",
            "Give a whole number of days from 1 to 3650."),
    POLICY_012("TB-POLICY-012",
            "No file in the policy directory declares the policy set.",
            "Add 'policy-set: { id: ..., description: ... }' to one of the YAML files."),
    POLICY_013("TB-POLICY-013",
            "The policy directory, or a file in it, cannot be read: not found, not listable, larger than 1 "
                    + "MiB, or an I/O error.",
            "Check policies.dir (or the path given) and the permissions of its files."),
    POLICY_014("TB-POLICY-014",
            "A label mapping gives both or neither of 'code' and 'prefix'.",
            "Give exactly one of 'code' or 'prefix'."),
    POLICY_015("TB-POLICY-015",
            "A second file declares the policy set; a directory holds one policy set, declared in one file.",
            "Keep the 'policy-set' header in one file only."),
    POLICY_016("TB-POLICY-016",
            "A code range in labels.yaml is not two codes, first to last, in order (for example B20-B24).",
            "Write the range as first-last with both ends present and the first not after the last."),
    POLICY_017("TB-POLICY-017",
            "A rule's generalise obligation gives dates or ages a value they do not take.",
            "Use dates: year and ages: age-cap(N), as docs/policies.md shows."),
    POLICY_020("TB-POLICY-020",
            "The policy tests folder cannot be listed.",
            "Check the permissions of the tests folder next to the policy files."),
    POLICY_021("TB-POLICY-021",
            "A policy test case has an invalid 'expect' or 'consent'.",
            "Use expect permit or deny, and consent given, absent, or a list of consent files."),
    POLICY_022("TB-POLICY-022",
            "A record or consent file a policy test names is not found next to the test file.",
            "Put the file next to the test file, or fix its name."),
    POLICY_023("TB-POLICY-023",
            "Policy tests with consent files were run without consent evaluation.",
            "Run them with 'twinbridge policy test'."),
    POLICY_024("TB-POLICY-024",
            "The federation section of a policy set is invalid: a second federation section, or a disclosure "
                    + "threshold that is not a number or is out of range.",
            "Keep one federation section per policy set, and set min-cell >= 2, min-cohort >= min-cell, "
                    + "max-categories 1-1000, max-label-chars 8-200 and noise 0-1."),
    POLICY_040("TB-POLICY-040",
            "Information: a policy set was activated; the log names it and, on reload, the one it replaced.",
            "Nothing to do."),
    POLICY_041("TB-POLICY-041",
            "A change in the policy directory did not load, so the previous policy set keeps deciding; the "
                    + "errors follow in the log.",
            "Fix the logged errors (try 'twinbridge policy validate'); the node reloads when the files change."),
    POLICY_042("TB-POLICY-042",
            "No policies are configured (neither policies.dir nor policies.allow), so every record is denied "
                    + "to every plugin.",
            "Configure policies.dir with a policy set, or policies.allow for a plain allow-list."),
    ENFORCE_001("TB-ENFORCE-001",
            "The obligations for a record do not hold exactly one allow-list for its resource type.",
            "Check the policy grants the type with one 'project' entry for it; report it if it does."),
    ENFORCE_002("TB-ENFORCE-002",
            "An element path is empty, malformed, or names no element of the resource type.",
            "Write FHIR R4 element names relative to the resource, with choice elements as 'value[x]'."),
    ENFORCE_003("TB-ENFORCE-003",
            "A record received conflicting ShiftDates obligations; a record is shifted once.",
            "Make the matching rules agree on one shift-dates bound."),
    ENFORCE_004("TB-ENFORCE-004",
            "The enforcement context broke its contract: it gave no pseudonymous resource id, or a date "
                    + "offset beyond the policy's bound.",
            "This is a defect in the caller of the enforcer; report it."),
    ENFORCE_005("TB-ENFORCE-005",
            "The enforcer was given a FHIR context of a version other than R4.",
            "Pass FhirContext.forR4Cached()."),
    ENFORCE_006("TB-ENFORCE-006",
            "A date in the record is not a valid FHIR date, dateTime or instant, so it cannot be shifted or "
                    + "generalised and the record is refused.",
            "Fix the date at the source system."),
    ENFORCE_009("TB-ENFORCE-009",
            "A generalisation method reached the enforcer that it does not implement.",
            "This is a defect (the policy reader accepted a method the enforcer lacks); report it."),
    ENFORCE_010("TB-ENFORCE-010",
            "The allow-list projection could not create an empty element of a FHIR type to copy into.",
            "This is a defect in the projection for the FHIR type named; report it."),
    YAML_001("TB-YAML-001",
            "A YAML mapping has a key that is not allowed there.",
            "Use one of the keys the message lists; check the spelling."),
    YAML_002("TB-YAML-002",
            "A required key or section is missing, or the document is empty.",
            "Add the key, as in the example the message gives."),
    YAML_003("TB-YAML-003",
            "A value has the wrong shape: not a mapping, a single value, true/false, or a list as required.",
            "Write the value in the shape the message names."),
    YAML_006("TB-YAML-006",
            "A YAML mapping has the same key twice.",
            "Keep one of the two keys."),
    YAML_009("TB-YAML-009",
            "The file is not valid YAML.",
            "Fix the syntax at the line and column given.");

    private final Entry entry;

    PolicyErrors(String code, String meaning, String fix) {
        this.entry = new Entry(code, meaning, fix);
    }

    @Override
    public Entry entry() {
        return entry;
    }
}
