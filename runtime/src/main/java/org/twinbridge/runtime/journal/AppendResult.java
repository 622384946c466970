package org.twinbridge.runtime.journal;

/**
 * What one append did.
 *
 * @param added      records that were new and are now durably journalled
 * @param duplicates records that were already in the journal (or held) and were ignored
 * @param held       device readings that were new but whose device is not bound to a patient yet: durably kept
 *                   outside the journal until a binding arrives (see {@link DeviceRegistry})
 */
public record AppendResult(int added, int duplicates, int held) {

    /** A result with nothing held. */
    public AppendResult(int added, int duplicates) {
        this(added, duplicates, 0);
    }
}
