package org.twinbridge.federation.site;

import java.util.List;

/** Where a site's records come from for a federated task. Implementations are thread-safe. */
@FunctionalInterface
public interface SiteRecords {

    /** Every record the site holds that a task could be given, before any decision; never null. */
    List<SiteRecord> records() throws Exception;
}
