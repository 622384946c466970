-- TwinBridge foundation schema, SQLite dialect (the embedded default). It mirrors db/migration (PostgreSQL)
-- version for version, and differs only where SQLite needs it: INTEGER PRIMARY KEY AUTOINCREMENT for identity
-- columns (a number is never reused, even after deletes), BLOB for bytes, and timestamps stored as epoch
-- milliseconds (the driver's default). A new migration is added to both folders.
-- Nothing here holds PHI in clear text: clinical content is in encrypted payload columns,
-- and patient identifiers are stored only as keyed hashes.

CREATE TABLE patient (
    patient_key   VARCHAR(36)              NOT NULL PRIMARY KEY,
    created_at    TIMESTAMP                NOT NULL
);

-- Keyed hash (HMAC-SHA256) of "scope|system|value" for each identifier that resolves to a patient.
CREATE TABLE patient_identifier (
    identifier_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    patient_key     VARCHAR(36) NOT NULL REFERENCES patient (patient_key)
);
CREATE INDEX patient_identifier_patient ON patient_identifier (patient_key);

CREATE TABLE journal (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id      VARCHAR(64)              NOT NULL UNIQUE,
    connector_id   VARCHAR(64)              NOT NULL,
    patient_key    VARCHAR(36),
    resource_type  VARCHAR(64)              NOT NULL,
    category       VARCHAR(64)              NOT NULL,
    unmapped_count INTEGER                  NOT NULL,
    key_id         VARCHAR(64)              NOT NULL,
    payload        BLOB                     NOT NULL,
    journalled_at  TIMESTAMP                NOT NULL
);
CREATE INDEX journal_connector ON journal (connector_id);
CREATE INDEX journal_patient ON journal (patient_key);

CREATE TABLE connector_checkpoint (
    connector_id  VARCHAR(64)              NOT NULL,
    name          VARCHAR(128)             NOT NULL,
    checkpoint    VARCHAR(512)             NOT NULL,
    updated_at    TIMESTAMP                NOT NULL,
    PRIMARY KEY (connector_id, name)
);

-- One delivery cursor per plugin; advanced in the same transaction as the plugin's state and outputs.
CREATE TABLE plugin_cursor (
    plugin_id     VARCHAR(64)              NOT NULL PRIMARY KEY,
    seq           BIGINT                   NOT NULL,
    delivered     BIGINT                   NOT NULL,
    denied        BIGINT                   NOT NULL,
    not_requested BIGINT                   NOT NULL,
    failed        BIGINT                   NOT NULL,
    updated_at    TIMESTAMP                NOT NULL
);

CREATE TABLE plugin_state (
    plugin_id     VARCHAR(64)  NOT NULL,
    subject       VARCHAR(64)  NOT NULL,
    state_key     VARCHAR(200) NOT NULL,
    payload       BLOB         NOT NULL,
    PRIMARY KEY (plugin_id, subject, state_key)
);

-- Every decision, permit or deny. The receipt id handed to a plugin resolves here.
CREATE TABLE decision_log (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    receipt_id     VARCHAR(64)              NOT NULL UNIQUE,
    plugin_id      VARCHAR(64)              NOT NULL,
    journal_seq    BIGINT                   NOT NULL,
    purpose        VARCHAR(32)              NOT NULL,
    outcome        VARCHAR(16)              NOT NULL,
    rules          VARCHAR(1000)            NOT NULL,
    reason         VARCHAR(1000),
    policy_version VARCHAR(100)             NOT NULL,
    decided_at     TIMESTAMP                NOT NULL
);
CREATE INDEX decision_log_plugin ON decision_log (plugin_id);

CREATE TABLE twin_output (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    plugin_id     VARCHAR(64)              NOT NULL,
    subject       VARCHAR(64)              NOT NULL,
    kind          VARCHAR(32)              NOT NULL,
    summary       VARCHAR(500)             NOT NULL,
    receipt_id    VARCHAR(64)              NOT NULL,
    payload       BLOB                     NOT NULL,
    created_at    TIMESTAMP                NOT NULL
);
CREATE INDEX twin_output_plugin ON twin_output (plugin_id);

-- A delivery that threw. Only the exception type is kept: messages can echo record content.
CREATE TABLE delivery_failure (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    plugin_id     VARCHAR(64)              NOT NULL,
    journal_seq   BIGINT                   NOT NULL,
    error_kind    VARCHAR(200)             NOT NULL,
    failed_at     TIMESTAMP                NOT NULL
);
