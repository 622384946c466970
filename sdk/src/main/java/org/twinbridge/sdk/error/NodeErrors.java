package org.twinbridge.sdk.error;

/**
 * Node errors: assembly, configuration, audit trail, consent, dead letters, dispatch, erasure, journal, observability, sinks
 * and storage.
 * Part of the {@link ErrorCatalogue}; a constant's name is its code without the {@code TB-} prefix.
 */
public enum NodeErrors implements ErrorCode {
    ASSEMBLY_001("TB-ASSEMBLY-001",
            "A command that was set up without the node's keys asked for a service that needs them.",
            "This is a defect in the command; report it with the command line that showed it."),
    AUDIT_001("TB-AUDIT-001",
            "The audit_head row is missing, so the audit trail cannot append and the write that needed it was "
                    + "rolled back.",
            "Do not edit the audit tables by hand; restore the database from a backup and run 'twinbridge "
                    + "audit verify'."),
    AUDIT_002("TB-AUDIT-002",
            "An audit event's details are longer than the audit trail accepts, so the event was refused.",
            "This is a defect in the code that recorded the event; report it with the event kind the message names."),
    AUDIT_003("TB-AUDIT-003",
            "The audit trail could not be read from the database (the SQLState is given).",
            "Check that the database is reachable and the node's database user may read the audit tables."),
    AUDIT_004("TB-AUDIT-004",
            "The activation of a policy set could not be recorded in the audit trail (the SQLState is given).",
            "Check the database; the policy is active, so record the change elsewhere until the audit trail "
                    + "is writable again."),
    AUDIT_005("TB-AUDIT-005",
            "The node's stop could not be recorded, or the shutdown checkpoint could not be signed.",
            "Check the database and the audit-signing key; 'twinbridge audit verify' shows the chain's state "
                    + "at the next start."),
    AUDIT_006("TB-AUDIT-006",
            "A connector lifecycle event (for example paused or resumed) could not be recorded in the audit "
                    + "trail (the SQLState is given).",
            "Check that the database is reachable and writable; the event happened but is missing from the trail."),
    AUDIT_007("TB-AUDIT-007",
            "An audit entry could not be written out as NDJSON.",
            "This is a defect; report it with the audit position the message names, and use another --format "
                    + "meanwhile."),
    AUDIT_008("TB-AUDIT-008",
            "An admin API call could not be recorded in the audit trail (the SQLState is given).",
            "Check that the database is reachable and writable; the call was served but is missing from the trail."),
    AUDIT_011("TB-AUDIT-011",
            "Audit verification: the entry's content does not match its hash, so it was altered after it was written.",
            "Treat it as tampering: keep the database for investigation and restore the audit tables from a backup."),
    AUDIT_012("TB-AUDIT-012",
            "Audit verification: an entry is missing (deleted) or appears out of order (inserted or reordered).",
            "Treat it as tampering: keep the database for investigation and restore the audit tables from a backup."),
    AUDIT_013("TB-AUDIT-013",
            "Audit verification: the entry does not link to the one before it, so an entry was removed, "
                    + "inserted or reordered before it.",
            "Treat it as tampering: keep the database for investigation and restore the audit tables from a backup."),
    AUDIT_014("TB-AUDIT-014",
            "Audit verification: the chain no longer matches a signed checkpoint, so entries at or before it "
                    + "were changed and the chain re-hashed.",
            "Treat it as tampering: keep the database for investigation and restore the audit tables from a backup."),
    AUDIT_015("TB-AUDIT-015",
            "Audit verification: a checkpoint's signature is not valid under the key it names, so the "
                    + "checkpoint was forged or altered.",
            "Treat it as tampering: keep the database for investigation and restore the audit tables from a backup."),
    AUDIT_016("TB-AUDIT-016",
            "Audit verification: a checkpoint was signed by another node, not this one.",
            "Verify each node's audit trail with that node's configuration; if it should be this node's, "
                    + "treat it as tampering."),
    AUDIT_017("TB-AUDIT-017",
            "Audit verification: a checkpoint was signed at a position beyond the chain's end, so entries "
                    + "were deleted from the end.",
            "Treat it as tampering: keep the database for investigation and restore the audit tables from a backup."),
    AUDIT_018("TB-AUDIT-018",
            "Audit verification: the audit_head row is missing or disagrees with the chain's end, so entries "
                    + "were deleted from the end.",
            "Treat it as tampering: keep the database for investigation and restore the audit tables from a backup."),
    AUDIT_019("TB-AUDIT-019",
            "Audit verification: audit_event rows exist that are not part of the chain, so they were inserted "
                    + "outside the audit trail.",
            "Treat it as tampering: find who wrote the named rows; they are not evidence of anything the node did."),
    AUDIT_020("TB-AUDIT-020",
            "Audit verification: decision_log rows do not resolve to a matching decision entry in the chain.",
            "Treat it as tampering with the decision log, or report it if the chain itself verifies."),
    AUDIT_021("TB-AUDIT-021",
            "Audit verification warning: a stretch of the chain longer than the checkpoint interval has no "
                    + "signed checkpoint, so checkpoints may have been deleted.",
            "If audit.checkpoint-interval was raised, ignore it for the older stretch; otherwise investigate "
                    + "deleted checkpoint rows."),
    AUDIT_022("TB-AUDIT-022",
            "Audit verification: a checkpoint names a signing key the keystore does not hold, so its "
                    + "signature cannot be checked.",
            "Verify with a keystore that still holds that audit-signing key version (old versions are kept "
                    + "for this reason)."),
    AUDIT_030("TB-AUDIT-030",
            "'audit query' was given an unknown --format.",
            "Use --format table, ndjson or fhir."),
    AUDIT_031("TB-AUDIT-031",
            "'audit query' was given a --decision other than permit or deny.",
            "Use --decision permit or --decision deny."),
    AUDIT_032("TB-AUDIT-032",
            "'audit query' was given a --limit below 1.",
            "Give --limit 1 or more."),
    AUDIT_033("TB-AUDIT-033",
            "'audit query' was given a --since that is not an instant, a date or an age.",
            "Give an instant (2026-01-31T12:00:00Z), a date (2026-01-31) or an age (30m, 24h, 7d)."),
    CONFIG_004("TB-CONFIG-004",
            "A configuration setting has a value, or a combination with other settings, that the node does "
                    + "not accept; the message names the setting and what is allowed.",
            "Change the setting at the file:line:column given to one of the allowed values."),
    CONFIG_005("TB-CONFIG-005",
            "The configuration has a section this version does not support yet.",
            "Remove the section, or upgrade to a version that supports it."),
    CONFIG_006("TB-CONFIG-006",
            "Two connectors, or two sinks, have the same id.",
            "Give each connector and each sink its own id."),
    CONFIG_007("TB-CONFIG-007",
            "The configuration file is larger than 1 MiB, so it is not read.",
            "Check that --config names the node's configuration file; a real one is far smaller."),
    CONFIG_008("TB-CONFIG-008",
            "The configuration file does not exist or cannot be read.",
            "Pass --config FILE with a readable file, or create twinbridge.yaml in the working directory."),
    CONFIG_010("TB-CONFIG-010",
            "A connector's settings were rejected by its connector type; the message gives the setting and why.",
            "Fix the named setting of that connector at the file:line:column given."),
    CONFIG_011("TB-CONFIG-011",
            "plugins.require-signed is true but no plugins.trust-store is configured, so no plugin could be trusted.",
            "Set plugins.trust-store to the directory of trusted vendor certificates, or set require-signed to false."),
    CONFIG_012("TB-CONFIG-012",
            "A connector names a type that no built-in connector provides and no admitted connector plugin provides: "
                    + "the plugin that declares it was refused (unsigned, untrusted or altered jar, or its code did not "
                    + "provide the type), or no jar in the plugin directory declares it.",
            "Run `twinbridge plugin list` to see each connector plugin, its types and why it is refused; install "
                    + "the vendor's signed jar and its .sig in plugins.dir and the vendor's certificate in "
                    + "plugins.trust-store (docs/operators.md, Third-party connectors)."),
    CONSENT_001("TB-CONSENT-001",
            "A consent file cannot be read: it is larger than 64 MiB or an I/O error occurred.",
            "Check the path and permissions, and split very large files."),
    CONSENT_002("TB-CONSENT-002",
            "A consent file, or one resource in it, is not a FHIR R4 JSON resource.",
            "Give FHIR R4 JSON: a Consent, a Bundle of them, or NDJSON."),
    CONSENT_003("TB-CONSENT-003",
            "A consent file holds a resource that is neither a Consent nor a Patient it refers to.",
            "Keep only Consents (and the Patients they reference) in consent files."),
    CONSENT_004("TB-CONSENT-004",
            "A consent file holds no Consent at all.",
            "Check that the right file was given."),
    CONSENT_005("TB-CONSENT-005",
            "A Consent has no id, so it cannot be versioned or replaced later.",
            "Give every Consent an id."),
    CONSENT_010("TB-CONSENT-010",
            "A Consent arrived from a connector with no patient reference the node can link, so it is "
                    + "journalled but decides nothing.",
            "Have the source send Consent.patient with an identifier, or with a reference to a Patient the "
                    + "node knows."),
    CONSENT_011("TB-CONSENT-011",
            "A Consent arrived from a connector without an id, so it is journalled but not registered.",
            "Have the source send Consents with ids."),
    CONSENT_012("TB-CONSENT-012",
            "An imported Consent's patient cannot be told: no identifier, no Patient in the same file, and no "
                    + "connector to resolve the reference.",
            "Give Consent.patient.identifier, put the Patient in the same file, or pass --connector ID."),
    CONSENT_013("TB-CONSENT-013",
            "Linking an imported Consent's patient produced no patient key.",
            "This is a defect; report it with the file location the message names."),
    CONSENT_014("TB-CONSENT-014",
            "'consent' was given a --connector that is not configured on this node.",
            "Use one of the connector ids the message lists."),
    CONSENT_020("TB-CONSENT-020",
            "'consent' was given a --patient in neither accepted form.",
            "Give system|value (a business identifier) or connector:Patient/id (a source-local id)."),
    CONSENT_021("TB-CONSENT-021",
            "'consent erase' was asked for a patient this node does not know, so nothing was erased.",
            "Check the identifier; the node has no data for an unknown patient."),
    DEADLETTER_001("TB-DEADLETTER-001",
            "No parked delivery or connector dead letter has the given id.",
            "List them with 'twinbridge deadletter list' and use an id it shows."),
    DEADLETTER_002("TB-DEADLETTER-002",
            "The dead letter was already replayed or dropped, possibly by someone else at the same time.",
            "Nothing to do; list dead letters again to see the current state."),
    DEADLETTER_003("TB-DEADLETTER-003",
            "A connector dead letter cannot be replayed: its source message never became a record, so there "
                    + "is nothing to deliver.",
            "Fix the sender and resend the message, then drop the dead letter."),
    DEADLETTER_004("TB-DEADLETTER-004",
            "The plugin a parked delivery belongs to is not loaded, so it cannot be replayed.",
            "Install and load that plugin, or drop the parked delivery."),
    DEADLETTER_005("TB-DEADLETTER-005",
            "The dead-letter service was built without plugins, so it cannot replay.",
            "Replay from the running node's admin API or a command that loads the plugins."),
    DEADLETTER_010("TB-DEADLETTER-010",
            "'deadletter list' was given a --limit below 1.",
            "Give --limit 1 or more."),
    DEADLETTER_011("TB-DEADLETTER-011",
            "The given text is not a dead-letter id.",
            "Give P-12 (a parked delivery) or C-5 (a connector dead letter), as 'deadletter list' shows them."),
    DISPATCH_001("TB-DISPATCH-001",
            "A plugin failed on a journal record and the delivery will be retried after the logged pause.",
            "Nothing to do unless it repeats; check the plugin's log and its vendor if it does."),
    DISPATCH_002("TB-DISPATCH-002",
            "A plugin's cursor had already passed the record being delivered (two dispatchers raced), so the "
                    + "delivery was rolled back.",
            "Nothing to do; the record is delivered once. Check that only one node uses the database if it repeats."),
    DISPATCH_003("TB-DISPATCH-003",
            "A plugin failed on a journal record in every attempt, so the delivery was parked in its "
                    + "dead-letter list and dispatch moved on.",
            "Look at the failure with 'twinbridge deadletter list', fix the plugin or its input, then replay "
                    + "or drop it."),
    DISPATCH_004("TB-DISPATCH-004",
            "The plugin state store failed during a delivery, so the delivery was rolled back and will be retried.",
            "Check that the database is reachable and writable."),
    DISPATCH_006("TB-DISPATCH-006",
            "A Kafka worker's cursor for a journal partition was moved by another worker (a rebalance), so its "
                    + "delivery was rolled back and it read the cursor again.",
            "Nothing to do; the record is delivered once, by the partition's new owner."),
    DISPATCH_007("TB-DISPATCH-007",
            "A Kafka worker could not dispatch or read its partition cursors (database or broker unavailable); "
                    + "nothing of the failed group was committed and it resumes from the cursors.",
            "Check that PostgreSQL and the Kafka brokers are reachable."),
    DISPATCH_005("TB-DISPATCH-005",
            "A parked delivery was resolved by someone else while it was being replayed, so this replay was "
                    + "rolled back.",
            "Nothing to do; list dead letters again to see who resolved it."),
    ERASE_002("TB-ERASE-002",
            "A plugin failed in onErase; its state rows are deleted anyway, but it may keep derived data elsewhere.",
            "Ask the plugin's vendor whether it keeps data outside the state store."),
    ERASE_003("TB-ERASE-003",
            "The patient's data is erased, but the listed plugins failed in onErase and may keep derived data "
                    + "outside the state store.",
            "Ask those plugins' vendors to erase the patient's data they keep."),
    JOURNAL_001("TB-JOURNAL-001",
            "Something other than a CanonicalRecord or a list of them was sent to the journal endpoint.",
            "This is a connector defect; a connector must send CanonicalRecords to the journal."),
    JOURNAL_002("TB-JOURNAL-002",
            "Kafka did not acknowledge a write to the Kafka journal in time, so the append failed and its source "
                    + "was not acknowledged; the source sends again.",
            "Check that the brokers in journal.bootstrap are up and that the journal topic has its in-sync replicas."),
    JOURNAL_003("TB-JOURNAL-003",
            "A record on the Kafka journal topic is not a TwinBridge journal record, or is truncated.",
            "Only TwinBridge nodes may write to the journal topic; restrict producers with Kafka ACLs."),
    JOURNAL_004("TB-JOURNAL-004",
            "The Kafka journal topic could not be created, or the brokers did not answer at start.",
            "Check journal.bootstrap, that the brokers are up, and that the node may create the topic."),
    OBSERVE_001("TB-OBSERVE-001",
            "The plugin delivery counters could not be read for the metrics, so the last values read are shown.",
            "Check that the database is reachable."),
    OBSERVE_002("TB-OBSERVE-002",
            "The node could not take one sample of its throughput and lag history (the message names the exception "
                    + "class); the console's charts miss that minute.",
            "Check that the database is reachable; the next sample is taken a minute later."),
    OBSERVE_010("TB-OBSERVE-010",
            "A connector could not be paused; the message names the exception class.",
            "Check the connector's health (GET /api/v1/connectors) and retry; report it if it repeats."),
    OBSERVE_011("TB-OBSERVE-011",
            "Information: a connector was paused.",
            "Nothing to do; resume it when wanted."),
    OBSERVE_012("TB-OBSERVE-012",
            "A connector could not be resumed; the message names the exception class.",
            "Check the connector's health (GET /api/v1/connectors) and retry; report it if it repeats."),
    OBSERVE_013("TB-OBSERVE-013",
            "Information: a connector was resumed.",
            "Nothing to do."),
    SINK_001("TB-SINK-001",
            "A sink could not deliver an output and will retry after the logged delay.",
            "Check that the sink's destination is reachable; nothing is lost meanwhile."),
    SINK_002("TB-SINK-002",
            "A sink's token cannot be found: its environment variable is not set or its token file cannot be read.",
            "Set the variable named in token-env, or make token-file readable by the node."),
    SINK_003("TB-SINK-003",
            "A sink's destination refused an output for good, so it was recorded in sink_rejection and the "
                    + "sink moved on.",
            "Look at the reason recorded, fix the destination or the sink's settings, and redeliver if needed."),
    SINK_004("TB-SINK-004",
            "The node was asked to build a sink of a type it does not know.",
            "Use one of the sink types the configuration documentation lists."),
    STATE_001("TB-STATE-001",
            "A plugin state store operation failed in the database (the SQLState is given).",
            "Check that the database is reachable and writable; the delivery is retried."),
    STORAGE_003("TB-STORAGE-003",
            "A transaction was opened inside another on the same thread; on SQLite, which lets one transaction "
                    + "write at a time, it would wait for itself. This is a defect in the node.",
            "Report it with the log around it; the operation that failed can be retried."),
    STORE_001("TB-STORE-001",
            "A connector's checkpoint could not be read from the database.",
            "Check that the database is reachable."),
    STORE_002("TB-STORE-002",
            "A connector's checkpoint could not be written to the database.",
            "Check that the database is reachable and writable; the connector resumes from its last saved checkpoint.");

    private final Entry entry;

    NodeErrors(String code, String meaning, String fix) {
        this.entry = new Entry(code, meaning, fix);
    }

    @Override
    public Entry entry() {
        return entry;
    }
}
