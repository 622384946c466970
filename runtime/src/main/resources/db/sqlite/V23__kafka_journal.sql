-- The Kafka journal (docs/scale-out.md). Record ids journalled to Kafka, for idempotent appends: a source's
-- redelivery is recognised here, in the transaction that commits only after Kafka acknowledged the write. The
-- partition and offset name the one copy workers deliver; any other copy of the record in Kafka (a write that
-- timed out but landed) is passed over.
CREATE TABLE kafka_record (
    record_id       VARCHAR(64)              NOT NULL PRIMARY KEY,
    kafka_partition INTEGER,
    kafka_offset    BIGINT,
    journalled_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Each plugin's cursor per journal partition: the next Kafka offset it has not passed. Moved in the same
-- transaction as the plugin's state, outputs and audit entries; a worker assigned the partition seeks here.
CREATE TABLE kafka_cursor (
    plugin_id       VARCHAR(64)              NOT NULL,
    topic           VARCHAR(200)             NOT NULL,
    kafka_partition INTEGER                  NOT NULL,
    next_offset     BIGINT                   NOT NULL,
    delivered       BIGINT                   NOT NULL,
    denied          BIGINT                   NOT NULL,
    not_requested   BIGINT                   NOT NULL,
    failed          BIGINT                   NOT NULL,
    worker          VARCHAR(200),
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (plugin_id, topic, kafka_partition)
);
