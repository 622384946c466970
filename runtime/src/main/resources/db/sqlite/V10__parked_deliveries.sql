-- Plugin dead letters: records a plugin failed on in every retry attempt, parked so its cursor could move on.
-- The reason is the exception type and a fixed failure kind, never the exception message (it may quote the
-- record). A parked record is replayed (delivered once more, through the full decision path) or dropped; both
-- keep the row, with its status and when, for the audit trail's sake. The journal holds the record itself.
CREATE TABLE parked_delivery (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    plugin_id    VARCHAR(64)              NOT NULL,
    journal_seq  BIGINT                   NOT NULL,
    error_kind   VARCHAR(200)             NOT NULL,
    failure_kind VARCHAR(32)              NOT NULL,
    attempts     INTEGER                  NOT NULL,
    status       VARCHAR(16)              NOT NULL,
    parked_at    TIMESTAMP                NOT NULL,
    resolved_at  TIMESTAMP,
    UNIQUE (plugin_id, journal_seq)
);
CREATE INDEX parked_delivery_status ON parked_delivery (status, plugin_id);
