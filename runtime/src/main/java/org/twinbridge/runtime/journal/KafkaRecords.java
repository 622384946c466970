package org.twinbridge.runtime.journal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The value of one Kafka journal record: the same columns as a row of the JDBC journal, in a small binary layout.
 * The payload is the record's FHIR JSON sealed with AES-256-GCM under its patient's data key and bound to its
 * record id, exactly as in the JDBC journal; everything else is what the JDBC journal keeps in plain columns too
 * (ids, the internal patient key, type and category), none of it PHI. The Kafka key is the internal patient key
 * (a random UUID the patient index assigned, never an MRN); no headers are written.
 */
public final class KafkaRecords {

    private static final int MAGIC = 0x54420001; // "TB", layout 1

    private KafkaRecords() {
    }

    /** One journal record as stored in Kafka. */
    public record Sealed(String recordId, String connectorId, Optional<String> patientKey, String resourceType,
            String category, int unmappedCount, String keyId, byte[] payload) {
    }

    public static byte[] encode(Sealed r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(r.payload().length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeUTF(r.recordId());
            out.writeUTF(r.connectorId());
            out.writeUTF(r.patientKey().orElse(""));
            out.writeUTF(r.resourceType());
            out.writeUTF(r.category());
            out.writeInt(r.unmappedCount());
            out.writeUTF(r.keyId());
            out.writeInt(r.payload().length);
            out.write(r.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException TB-JOURNAL-003 if the value is not a journal record of this layout
     */
    public static Sealed decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("TB-JOURNAL-003 a record on the journal topic is not a "
                        + "TwinBridge journal record (unknown layout)");
            }
            String recordId = in.readUTF();
            String connectorId = in.readUTF();
            String patientKey = in.readUTF();
            String resourceType = in.readUTF();
            String category = in.readUTF();
            int unmapped = in.readInt();
            String keyId = in.readUTF();
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            return new Sealed(recordId, connectorId, patientKey.isEmpty() ? Optional.empty() : Optional.of(patientKey),
                    resourceType, category, unmapped, keyId, payload);
        } catch (IOException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("TB-JOURNAL-003 a record on the journal topic is truncated or "
                    + "malformed", e);
        }
    }
}
