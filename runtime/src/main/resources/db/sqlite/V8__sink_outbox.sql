-- Sinks: one cursor per sink over twin_output (the outputs themselves are the outbox: stored, encrypted, in the
-- delivery's transaction). A sink advances its cursor only after the receiver accepted an output, so delivery is
-- at least once; receivers dedupe by the output id. A failing sink keeps its place and retries with backoff.
CREATE TABLE sink_cursor (
    sink_id         VARCHAR(64)              NOT NULL PRIMARY KEY,
    output_seq      BIGINT                   NOT NULL,
    delivered       BIGINT                   NOT NULL,
    skipped         BIGINT                   NOT NULL,
    rejected        BIGINT                   NOT NULL,
    attempts        INTEGER                  NOT NULL,
    next_attempt_at TIMESTAMP,
    last_error      VARCHAR(200),
    updated_at      TIMESTAMP                NOT NULL
);

-- Outputs a receiver refused for good (for example HTTP 400 or 422): kept here, with the reason (a status code or
-- an exception type, never content), so nothing is lost silently; the sink then moves on.
CREATE TABLE sink_rejection (
    sink_id      VARCHAR(64)              NOT NULL,
    output_seq   BIGINT                   NOT NULL,
    reason       VARCHAR(200)             NOT NULL,
    rejected_at  TIMESTAMP                NOT NULL,
    PRIMARY KEY (sink_id, output_seq)
);
