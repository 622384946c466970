-- Keys, encryption at rest and the tamper-evident audit trail (issue 6). SQLite dialect (see V1).

-- Envelope encryption: one AES-256-GCM data key per owner ('patient/<key>', 'plugin/<id>',
-- 'node/unlinked-records'), wrapped by a KEK version from the keystore. Destroying a key (crypto-shredding)
-- sets wrapped, live_owner to NULL; live_owner is unique while the key lives, so an owner has one live key.
CREATE TABLE data_key (
    key_id       VARCHAR(64)              NOT NULL PRIMARY KEY,
    owner        VARCHAR(120)             NOT NULL,
    live_owner   VARCHAR(120)             UNIQUE,
    kek_id       VARCHAR(64)              NOT NULL,
    wrapped      BLOB,
    created_at   TIMESTAMP                NOT NULL,
    rewrapped_at TIMESTAMP,
    destroyed_at TIMESTAMP
);
CREATE INDEX data_key_owner ON data_key (owner);
CREATE INDEX data_key_kek ON data_key (kek_id);

-- journal.key_id (V1) now names the patient's data key. State and outputs name their plugin's data key.
ALTER TABLE plugin_state ADD COLUMN key_id VARCHAR(64);
ALTER TABLE twin_output ADD COLUMN key_id VARCHAR(64);

-- The audit trail becomes one hash chain: chain_pos is the position (1, 2, ...), entry_hash =
-- SHA-256(prev_hash || canonical entry). A row without chain_pos was not written by the trail and fails
-- 'audit verify'. plugin_id, purpose, outcome and receipt_id repeat fields of details for queries.
ALTER TABLE audit_event ADD COLUMN chain_pos BIGINT;
ALTER TABLE audit_event ADD COLUMN plugin_id VARCHAR(64);
ALTER TABLE audit_event ADD COLUMN purpose VARCHAR(32);
ALTER TABLE audit_event ADD COLUMN outcome VARCHAR(16);
ALTER TABLE audit_event ADD COLUMN receipt_id VARCHAR(64);
ALTER TABLE audit_event ADD COLUMN prev_hash VARCHAR(64);
ALTER TABLE audit_event ADD COLUMN entry_hash VARCHAR(64);
-- (SQLite does not enforce VARCHAR lengths: audit_event.details needs no widening here.)
CREATE UNIQUE INDEX audit_event_chain_pos ON audit_event (chain_pos);
CREATE INDEX audit_event_receipt ON audit_event (receipt_id);
CREATE INDEX audit_event_subject ON audit_event (subject);
CREATE INDEX audit_event_plugin ON audit_event (plugin_id);
CREATE INDEX audit_event_recorded ON audit_event (recorded_at);

-- The head of the chain, one row. Every append locks it (UPDATE), so appends from any thread or process are
-- serialised and each commits with the transaction it records.
CREATE TABLE audit_head (
    id             INTEGER     NOT NULL PRIMARY KEY,
    last_pos       BIGINT      NOT NULL,
    last_hash      VARCHAR(64) NOT NULL,
    checkpoint_pos BIGINT      NOT NULL
);
INSERT INTO audit_head (id, last_pos, last_hash, checkpoint_pos)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

-- Ed25519-signed checkpoints: the node's signature over (node, position, entry hash, time, key id, reason).
CREATE TABLE audit_checkpoint (
    chain_pos   BIGINT                   NOT NULL PRIMARY KEY,
    entry_hash  VARCHAR(64)              NOT NULL,
    node_id     VARCHAR(64)              NOT NULL,
    key_id      VARCHAR(64)              NOT NULL,
    reason      VARCHAR(16)              NOT NULL,
    signed_at   TIMESTAMP                NOT NULL,
    signature   VARCHAR(200)             NOT NULL
);
