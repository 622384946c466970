package org.twinbridge.federation.coordinator;

import java.util.Objects;
import org.twinbridge.federation.wire.SiteAnswer;

/** How one site took part in a federated task, as the coordinator saw it. */
public sealed interface SiteStatus permits SiteStatus.Ok, SiteStatus.Declined, SiteStatus.Failed, SiteStatus.TimedOut {

    String site();

    /** The site released a disclosure-controlled table. */
    record Ok(String site, SiteAnswer answer) implements SiteStatus {
        public Ok {
            Objects.requireNonNull(answer, "answer");
        }
    }

    /** The site said no, for the reason given (its policy, its cohort, disclosure control, trust, replay). */
    record Declined(String site, String reason) implements SiteStatus {
    }

    /** The site could not be reached, broke, or answered with something that did not verify. */
    record Failed(String site, String reason) implements SiteStatus {
    }

    /** The site did not answer in time. */
    record TimedOut(String site, String reason) implements SiteStatus {
    }
}
