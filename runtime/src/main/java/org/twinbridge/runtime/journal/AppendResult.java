package org.twinbridge.runtime.journal;

/**
 * What one append did.
 *
 * @param added      records that were new and are now durably journalled
 * @param duplicates records that were already in the journal and were ignored
 */
public record AppendResult(int added, int duplicates) {
}
