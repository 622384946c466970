package org.twinbridge.runtime.journal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one append's transaction has already learnt about patient and device links, so that a burst of readings
 * for the same patient or device asks the database once, not once per record. It lives for one transaction only
 * (nothing is cached across commits) and forgets everything when a merge or a device binding changes links.
 * Not thread-safe.
 */
final class LinkCache {

    private final Map<String, String> patientByIdentifier = new HashMap<>();
    private final Map<List<String>, Optional<String>> patientByDevices = new HashMap<>();

    /** The patient key every one of these identifier hashes resolves to, if they are all known and agree. */
    Optional<String> patient(List<String> identifierHashes) {
        String key = null;
        for (String hash : identifierHashes) {
            String known = patientByIdentifier.get(hash);
            if (known == null || (key != null && !key.equals(known))) {
                return Optional.empty();
            }
            key = known;
        }
        return Optional.ofNullable(key);
    }

    /** The identifier hash now resolves to the key (it is stored so in this transaction). */
    void linked(String identifierHash, String patientKey) {
        patientByIdentifier.put(identifierHash, patientKey);
    }

    /** Whether the owner of these device identities was looked up in this transaction already. */
    boolean knowsDevices(List<String> deviceHashes) {
        return patientByDevices.containsKey(deviceHashes);
    }

    /** The owner looked up before; empty if unknown or if there was none. */
    Optional<String> deviceOwner(List<String> deviceHashes) {
        return patientByDevices.getOrDefault(deviceHashes, Optional.empty());
    }

    void deviceOwner(List<String> deviceHashes, Optional<String> patientKey) {
        patientByDevices.put(List.copyOf(deviceHashes), patientKey);
    }

    /** A merge moved identifiers between patients: nothing known about patients holds any more. */
    void patientsChanged() {
        patientByIdentifier.clear();
    }

    /** A device was bound: nothing known about device owners holds any more. */
    void devicesChanged() {
        patientByDevices.clear();
    }
}
