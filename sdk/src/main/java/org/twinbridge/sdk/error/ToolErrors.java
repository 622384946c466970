package org.twinbridge.sdk.error;

/**
 * Tool errors: the command line, the demo, the bench, the load generator, the Keycloak sync and the embedded FHIR
 * server and MQTT broker they run.
 * Part of the {@link ErrorCatalogue}; a constant's name is its code without the {@code TB-} prefix.
 */
public enum ToolErrors implements ErrorCode {
    RUN_001("TB-RUN-001",
            "A command failed with an unexpected exception; its type is printed, and its message only if "
                    + "TwinBridge code raised it, since a third-party message may echo record content.",
            "Run again with TWINBRIDGE_DEBUG=1 to print the stack trace, and report it if it is a defect."),
    CLI_001("TB-CLI-001",
            "'policy explain' was given a --format other than text or json.",
            "Use --format text or --format json."),
    CLI_002("TB-CLI-002",
            "'policy explain' cannot read the record file.",
            "Check the path and its permissions."),
    CLI_003("TB-CLI-003",
            "'policy explain' was given a record file that is not a FHIR R4 JSON resource.",
            "Give one FHIR R4 resource in JSON."),
    DEMO_001("TB-DEMO-001",
            "Demo data is missing from the executable jar.",
            "Rebuild the executable (./mvnw -B -DskipTests package) so it bundles the demo data."),
    DEMO_002("TB-DEMO-002",
            "The demo cannot read a plugin's outputs.",
            "Check the demo's log for the cause; report it if it repeats."),
    DEMO_003("TB-DEMO-003",
            "'demo' was given --seconds below 1 or --patients outside 1 to 5.",
            "Give --seconds 1 or more and --patients from 1 to 5."),
    DEMO_004("TB-DEMO-004",
            "A bundled demo patient has no MRN.",
            "Rebuild the executable; the bundled demo data is damaged."),
    BENCH_001("TB-BENCH-001",
            "A class-path resource the bench needs is missing.",
            "Rebuild the executable so it bundles the bench data."),
    BENCH_002("TB-BENCH-002",
            "A bundled Synthea bundle does not parse.",
            "Rebuild the executable; the bundled bench data is damaged."),
    BENCH_003("TB-BENCH-003",
            "The bench records hold no Observation, Condition or MedicationRequest.",
            "Rebuild the executable; the bundled bench data is damaged."),
    BENCH_004("TB-BENCH-004",
            "The demo policy set is not bundled with the bench.",
            "Rebuild the executable so it bundles the demo policy set."),
    BENCH_010("TB-BENCH-010",
            "The HAPI consent comparison run's client received fewer records than were sent.",
            "Rerun the bench; report it if it repeats."),
    BENCH_011("TB-BENCH-011",
            "No reading reached the plugin within 30 s of the last publish in the latency run.",
            "Check the embedded broker and node started; rerun on a less loaded machine."),
    BENCH_012("TB-BENCH-012",
            "The dispatch loop failed during the latency run.",
            "Rerun with TWINBRIDGE_DEBUG=1 and report the exception class named."),
    BENCH_013("TB-BENCH-013",
            "A bench run delivered no record.",
            "Check that the bundled plugins load and the policy permits them; rerun."),
    BENCH_020("TB-BENCH-020",
            "The start run expected the 3 bundled plugins to load but some were refused.",
            "Rebuild the executable so it bundles the plugins; the message lists the refusals."),
    BENCH_030("TB-BENCH-030",
            "'bench' was given an unknown part.",
            "Use one of the parts the message lists."),
    BENCH_031("TB-BENCH-031",
            "A 'bench' count or rate is out of range.",
            "Give --records 0 (all) or more, --scaling-records and --memory-patients 1 or more, and "
                    + "--latency-rate 1 to 100000."),
    LOAD_001("TB-LOAD-001",
            "A load feed's rate is not positive.",
            "Give a positive rate."),
    LOAD_002("TB-LOAD-002",
            "A device feed was built with no devices.",
            "Give at least one device."),
    LOAD_003("TB-LOAD-003",
            "An EHR feed was built with no patients.",
            "Give at least one patient."),
    LOAD_004("TB-LOAD-004",
            "The load generator was given no source, or an unknown one.",
            "Name sources from mllp, mqtt and fhir."),
    LOAD_005("TB-LOAD-005",
            "The load duration, rate or interval is not positive.",
            "Give a positive --minutes and --rate and an --interval of at least 1."),
    LOAD_006("TB-LOAD-006",
            "The load generator could not drop its temporary database.",
            "Drop the named database by hand."),
    LOAD_007("TB-LOAD-007",
            "'load' was given a --storage other than h2 or postgres.",
            "Use --storage h2 or --storage postgres."),
    LOAD_008("TB-LOAD-008",
            "'load' was given a --data-dir that is neither new nor empty.",
            "Give a new or empty directory."),
    KC_001("TB-KC-001",
            "'keycloak sync' was given a configuration with no 'api' section.",
            "Add the api section with api.oidc.issuer (see docs/api.md)."),
    KC_002("TB-KC-002",
            "'keycloak sync' was given a configuration with no 'api.keycloak' admin login.",
            "Add api.keycloak with admin-user and admin-password-env or admin-password-file."),
    KC_003("TB-KC-003",
            "api.oidc.issuer is not a Keycloak realm URL.",
            "Use an issuer such as https://sso.example/realms/twinbridge."),
    KC_004("TB-KC-004",
            "Keycloak refused the admin login.",
            "Check api.keycloak.admin-user and its password."),
    KC_005("TB-KC-005",
            "Keycloak cannot be reached.",
            "Check that Keycloak is up and reachable at the issuer's host."),
    KC_006("TB-KC-006",
            "Keycloak answered an HTTP error during sync, usually because the admin user lacks rights.",
            "Give the admin user the realm-admin role of the realm."),
    KC_010("TB-KC-010",
            "Keycloak refused to create a client, role or mapping.",
            "Check the Keycloak log for the refusal; the admin user needs realm-admin."),
    EMBED_FHIR_001("TB-EMBED-FHIR-001",
            "The embedded FHIR store was given no resource types, or a class that is not a concrete FHIR R4 resource.",
            "Give concrete R4 resource classes such as org.hl7.fhir.r4.model.Patient, for example "
                    + "InMemoryFhirStore.DEFAULT_TYPES."),
    EMBED_FHIR_002("TB-EMBED-FHIR-002",
            "A resource put in the embedded FHIR store has an id that is not a FHIR id.",
            "Use 1 to 64 of A-Z, a-z, 0-9, '-' and '.'."),
    EMBED_FHIR_003("TB-EMBED-FHIR-003",
            "The embedded FHIR store was asked for a resource type it does not hold.",
            "Use one of the supported types the message lists, or build the store with that type."),
    EMBED_FHIR_011("TB-EMBED-FHIR-011",
            "The embedded FHIR server was sent a chained reference search, which it does not support.",
            "Search by id, for example patient=Patient/123."),
    EMBED_FHIR_020("TB-EMBED-FHIR-020",
            "A seed summary was given a negative count or an unnamed type.",
            "Give non-negative counts with type names."),
    EMBED_FHIR_030("TB-EMBED-FHIR-030",
            "The embedded FHIR server or seeder was given a FHIR context other than R4.",
            "Use FhirContext.forR4Cached()."),
    EMBED_FHIR_031("TB-EMBED-FHIR-031",
            "A seed file is not a FHIR R4 Bundle in JSON.",
            "Give Synthea transaction Bundles in JSON; the cause says where parsing stopped."),
    EMBED_FHIR_032("TB-EMBED-FHIR-032",
            "A seed index or a bundle it lists is missing from the class path.",
            "Fix the name in the index or remove the line, or add the index listing the bundle files next to them."),
    EMBED_FHIR_040("TB-EMBED-FHIR-040",
            "The embedded FHIR server was given a port outside 0 to 65535.",
            "Use 0 (any free port) or 1 to 65535."),
    EMBED_FHIR_041("TB-EMBED-FHIR-041",
            "The embedded FHIR server could not start on its port.",
            "Choose a free port, or 0."),
    EMBED_FHIR_042("TB-EMBED-FHIR-042",
            "The embedded FHIR server did not stop cleanly.",
            "Nothing to do for a test run; report it if it repeats."),
    EMBED_MQTT_040("TB-EMBED-MQTT-040",
            "The embedded MQTT broker was given a port outside 0 to 65535.",
            "Use 0 (any free port) or 1 to 65535."),
    EMBED_MQTT_041("TB-EMBED-MQTT-041",
            "The embedded MQTT broker found no free port or could not start on the one given.",
            "Choose another port, or 0.");

    private final String code;
    private final String meaning;
    private final String fix;

    ToolErrors(String code, String meaning, String fix) {
        this.code = code;
        this.meaning = meaning;
        this.fix = fix;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String meaning() {
        return meaning;
    }

    @Override
    public String fix() {
        return fix;
    }
}
