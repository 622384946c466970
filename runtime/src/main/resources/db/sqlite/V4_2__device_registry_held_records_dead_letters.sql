-- Device registry, held device readings and dead letters. Numbered 4.1 so that another branch's V4 can land
-- beside it. No PHI in clear text: device identities are keyed hashes, payloads are encrypted.

-- Which patient a device is bound to now. One row per device identity (keyed hash of "dev|system|value" or
-- "local|connector|Device/id"); a newer binding replaces the row.
CREATE TABLE device_binding (
    device_hash      VARCHAR(64)              NOT NULL PRIMARY KEY,
    patient_key      VARCHAR(36)              NOT NULL REFERENCES patient (patient_key),
    source_connector VARCHAR(64)              NOT NULL,
    bound_at         TIMESTAMP                NOT NULL
);
CREATE INDEX device_binding_patient ON device_binding (patient_key);

-- Readings of devices not bound to a patient yet. Durable (the source is acknowledged after this commit) but
-- not in the journal, so no plugin sees them; moved into the journal, linked, when their device is bound.
CREATE TABLE held_record (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id      VARCHAR(64)              NOT NULL UNIQUE,
    connector_id   VARCHAR(64)              NOT NULL,
    resource_type  VARCHAR(64)              NOT NULL,
    category       VARCHAR(64)              NOT NULL,
    unmapped_count INTEGER                  NOT NULL,
    key_id         VARCHAR(64)              NOT NULL,
    payload        BLOB                     NOT NULL,
    held_at        TIMESTAMP                NOT NULL
);
CREATE INDEX held_record_connector ON held_record (connector_id);

CREATE TABLE held_record_device (
    record_id   VARCHAR(64) NOT NULL REFERENCES held_record (record_id) ON DELETE CASCADE,
    device_hash VARCHAR(64) NOT NULL,
    PRIMARY KEY (record_id, device_hash)
);
CREATE INDEX held_record_device_hash ON held_record_device (device_hash);

-- Source messages that will never become records. The reason holds no content; the payload is encrypted.
-- The same payload from the same connector is one entry, counted in occurrences (a redelivery is not news).
CREATE TABLE dead_letter (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    connector_id   VARCHAR(64)              NOT NULL,
    payload_sha256 VARCHAR(64)              NOT NULL,
    reason_code    VARCHAR(32)              NOT NULL,
    reason         VARCHAR(1000)            NOT NULL,
    payload_bytes  INTEGER                  NOT NULL,
    occurrences    INTEGER                  NOT NULL,
    key_id         VARCHAR(64)              NOT NULL,
    payload        BLOB                     NOT NULL,
    first_seen_at  TIMESTAMP                NOT NULL,
    last_seen_at   TIMESTAMP                NOT NULL,
    UNIQUE (connector_id, payload_sha256)
);
