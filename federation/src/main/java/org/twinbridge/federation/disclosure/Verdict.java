package org.twinbridge.federation.disclosure;

import java.util.Objects;
import org.twinbridge.sdk.error.FederationErrors;

/** What disclosure control concluded about a plugin's output: release this table, or refuse with a reason. */
public sealed interface Verdict permits Verdict.Release, Verdict.Refuse {

    /** The table may leave, as shown; {@code primary} and {@code complementary} count the suppressed cells. */
    record Release(DisclosedTable table, int primary, int complementary) implements Verdict {
        public Release {
            Objects.requireNonNull(table, "table");
        }
    }

    /** Nothing leaves; {@code reason} names no subject and no count below the threshold. */
    record Refuse(FederationErrors code, String reason) implements Verdict {
        public Refuse {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
        }

        /** The reason as printed and audited, starting with the code. */
        public String message() {
            return code.code() + " " + reason;
        }
    }
}
