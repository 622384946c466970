-- Admin actions, key events, consent changes and erasures. No PHI: patients by internal key or pseudonym.
CREATE TABLE audit_event (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         VARCHAR(64)              NOT NULL,
    actor        VARCHAR(200)             NOT NULL,
    subject      VARCHAR(64)              NOT NULL,
    details      VARCHAR(2000)            NOT NULL,
    recorded_at  TIMESTAMP                NOT NULL
);
