package org.twinbridge.sdk.error;

/**
 * Twin errors: the bundled twin plugins (glucose, NEWS2, tumour) and running a twin plugin alone.
 * Part of the {@link ErrorCatalogue}; a constant's name is its code without the {@code TB-} prefix.
 */
public enum TwinErrors implements ErrorCode {
    GLUCOSE_010("TB-GLUCOSE-010",
            "The glucose twin's state value is larger than the state store accepts.",
            "This is a defect in the glucose plugin; report it with the state key named."),
    GLUCOSE_011("TB-GLUCOSE-011",
            "The glucose plugin jar lacks glucose-twin.properties or its built version.",
            "Build the plugin with Maven, which fills the version in."),
    IMPLANT_001("TB-IMPLANT-001",
            "The implant twin's stored state for a subject is damaged or was written by an unknown version, so the "
                    + "twin refuses it rather than guess.",
            "Report it to the plugin's vendor; erasing the subject's twin state lets the twin start afresh."),
    NEWS2_001("TB-NEWS2-001",
            "A NEWS2 parameter that is not numeric was given a numeric reading.",
            "Give OxygenSupply and Level readings in their own types, not as numbers."),
    NEWS2_002("TB-NEWS2-002",
            "A NEWS2 vital-sign value is not a finite number, is negative, or is an SpO2 above 100.",
            "This points at a bad reading at the source; check the device or lab feed."),
    NEWS2_003("TB-NEWS2-003",
            "No NEWS2 risk band fits the total and the highest parameter score.",
            "This is a defect in the NEWS2 plugin; the total must be at least the highest parameter score (0 to 3)."),
    NEWS2_004("TB-NEWS2-004",
            "A stored NEWS2 risk band code is unknown.",
            "Expected low, low-medium, medium or high; the plugin state may be from another version."),
    NEWS2_005("TB-NEWS2-005",
            "A vital-sign reading was filed under another parameter.",
            "This is a defect in the NEWS2 plugin; report it."),
    NEWS2_006("TB-NEWS2-006",
            "A NEWS2 parameter score is outside 0 to 3.",
            "This is a defect in the NEWS2 plugin; report it."),
    NEWS2_007("TB-NEWS2-007",
            "A NEWS2 total does not match the sum of the parameter scores.",
            "This is a defect in the NEWS2 plugin; report it."),
    NEWS2_008("TB-NEWS2-008",
            "A NEWS2 parameter is both scored and missing, or neither.",
            "This is a defect in the NEWS2 plugin; report it."),
    NEWS2_009("TB-NEWS2-009",
            "A NEWS2 score history holds a negative total.",
            "This is a defect in the NEWS2 plugin, or its stored state is damaged; report it."),
    NEWS2_010("TB-NEWS2-010",
            "The NEWS2 twin's state value is larger than the state store accepts.",
            "This is a defect in the NEWS2 plugin; report it with the state key named."),
    NEWS2_011("TB-NEWS2-011",
            "The NEWS2 plugin jar lacks news2-twin.properties or its built version.",
            "Build the plugin with Maven, which fills the version in."),
    NEWS2_012("TB-NEWS2-012",
            "A NEWS2 score history holds more entries than its capacity.",
            "This is a defect in the NEWS2 plugin, or its stored state is damaged; report it."),
    TUMOUR_001("TB-TUMOUR-001",
            "The tumour plugin jar lacks its regimen catalogue, or it cannot be read.",
            "Rebuild the plugin jar; the catalogue is a resource inside it."),
    TUMOUR_002("TB-TUMOUR-002",
            "A line of the tumour plugin's regimen catalogue is malformed.",
            "Fix the catalogue at the file:line given and rebuild the plugin."),
    TUMOUR_010("TB-TUMOUR-010",
            "The tumour twin's state value is larger than the state store accepts.",
            "This is a defect in the tumour plugin; report it."),
    TUMOUR_011("TB-TUMOUR-011",
            "The tumour plugin jar lacks tumour-twin.properties or its built version.",
            "Build the plugin with Maven, which fills the version in."),
    TWIN_001("TB-TWIN-001",
            "'twin run' cannot find the plugin: the jar does not exist, or no plugin has that id.",
            "Give an existing jar, or one of the plugin ids the message lists."),
    TWIN_002("TB-TWIN-002",
            "'twin run' was given a jar that is not a loadable pf4j plugin, or holds no TwinModel extension.",
            "Give a plugin jar with Plugin-Id and Plugin-Version in its manifest and a TwinModel extension."),
    TWIN_003("TB-TWIN-003",
            "'twin run' cannot read a record file; the message names the file and the problem.",
            "Give FHIR R4 JSON or NDJSON record files."),
    TWIN_004("TB-TWIN-004",
            "A record failed in the plugin during 'twin run'; its state writes and outputs were dropped.",
            "Look at the reason printed and fix the plugin or the record."),
    WARD_001("TB-WARD-001",
            "The ward twin's stored state is damaged or was written by an unknown version, so the twin refuses it "
                    + "rather than guess.",
            "Report it to the plugin's vendor; erasing the ward twin's state lets it rebuild its census from new "
                    + "ADT events.");

    private final Entry entry;

    TwinErrors(String code, String meaning, String fix) {
        this.entry = new Entry(code, meaning, fix);
    }

    @Override
    public Entry entry() {
        return entry;
    }
}
