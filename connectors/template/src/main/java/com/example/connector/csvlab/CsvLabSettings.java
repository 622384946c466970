package com.example.connector.csvlab;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * The validated settings of one {@code csv-lab} connector.
 *
 * @param dir           the watched share; {@code done/} and {@code failed/} are created inside it
 * @param poll          time between directory scans
 * @param settleTime    how long a file must stay unchanged before it is read
 * @param patientSystem the identifier system of the {@code patient_id} column (the hospital's MRN system), so that
 *                      the node links each result to the patient other sources know by the same number
 * @param maxBytes      the largest file read; larger files go to {@code failed/}
 */
record CsvLabSettings(Path dir, Duration poll, Duration settleTime, String patientSystem, long maxBytes) {

    static final Set<String> KEYS = Set.of("dir", "poll", "settle-time", "patient-system", "max-size-kb");

    static CsvLabSettings from(ConnectorContext context) throws ConnectorConfigException {
        ConnectorSettings settings = context.settings();
        Path dir;
        try {
            dir = context.configDirectory().resolve(settings.requireString("dir")).normalize();
        } catch (InvalidPathException e) {
            throw new ConnectorConfigException("dir", "'dir' is not a valid path");
        }
        Duration poll = settings.duration("poll", Duration.ofSeconds(5));
        if (poll.toMillis() < 100) {
            throw new ConnectorConfigException("poll", "'poll' must be at least 100ms");
        }
        Duration settle = settings.duration("settle-time", Duration.ofSeconds(1));
        if (settle.toMillis() < 100 || settle.toMinutes() > 10) {
            throw new ConnectorConfigException("settle-time", "'settle-time' must be between 100ms and 10m");
        }
        String system = settings.requireString("patient-system");
        if (!system.matches("(https?://|urn:)\\S+")) {
            throw new ConnectorConfigException("patient-system", "'patient-system' must be a URI such as "
                    + "http://hospital.example.org/mrn or urn:oid:1.2.3");
        }
        String kb = settings.string("max-size-kb").orElse("10240");
        long maxKb;
        try {
            maxKb = Long.parseLong(kb.trim());
        } catch (NumberFormatException e) {
            maxKb = -1;
        }
        if (maxKb < 1 || maxKb > 1024 * 1024) {
            throw new ConnectorConfigException("max-size-kb", "'max-size-kb' must be a whole number from 1 to "
                    + "1048576, not '" + kb + "'");
        }
        return new CsvLabSettings(dir, poll, settle, system, maxKb * 1024);
    }
}
