-- Patient merges (HL7 v2 A40, FHIR Patient.link replaced-by): a retired patient key and the key that stands
-- for it now. Chains are kept flat: surviving_key is always a key that has not been merged itself.
-- Versioned 4.1 so that it does not collide with a V4 added on another branch.
CREATE TABLE patient_merge (
    merged_key    VARCHAR(36)              NOT NULL PRIMARY KEY REFERENCES patient (patient_key),
    surviving_key VARCHAR(36)              NOT NULL REFERENCES patient (patient_key),
    merged_at     TIMESTAMP                NOT NULL
);
CREATE INDEX patient_merge_surviving ON patient_merge (surviving_key);
