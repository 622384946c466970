-- The consent registry. SQLite dialect (see V1).
-- One row per version of a FHIR Consent, never updated: a change arrives as a new version. The Consent itself
-- (which names the patient) is only in the encrypted payload, bound to its row.
CREATE TABLE consent_version (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    patient_key   VARCHAR(36)              NOT NULL,
    source        VARCHAR(64)              NOT NULL,   -- connector id, or 'import'
    consent_id    VARCHAR(128)             NOT NULL,   -- Consent/<logical id> in that source
    version       INTEGER                  NOT NULL,
    status        VARCHAR(32)              NOT NULL,
    content_hash  VARCHAR(64)              NOT NULL,
    key_id        VARCHAR(64)              NOT NULL,
    payload       BLOB                     NOT NULL,
    recorded_at   TIMESTAMP                NOT NULL,
    CONSTRAINT consent_version_unique UNIQUE (source, consent_id, version)
);
CREATE INDEX consent_version_patient ON consent_version (patient_key);

-- Which consent versions (and provisions) decided, or that the per-purpose default did, for decisions made
-- under a rule with 'consent: required'. No PHI: consent ids, versions, provision paths.
ALTER TABLE decision_log ADD COLUMN consent VARCHAR(1000);
