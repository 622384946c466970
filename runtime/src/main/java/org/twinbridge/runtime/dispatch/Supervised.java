package org.twinbridge.runtime.dispatch;

/**
 * A plugin model whose availability the dispatcher asks before each batch: a plugin process that is being
 * restarted (after a crash, a hang or a broken protocol) gets nothing until it is up again, and the wait does
 * not count as a failed attempt of any record.
 */
public interface Supervised {

    /** Whether deliveries can be made now; may (re)start the plugin's process when its backoff is over. */
    boolean ready();
}
