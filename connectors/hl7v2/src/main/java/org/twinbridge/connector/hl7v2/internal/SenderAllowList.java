package org.twinbridge.connector.hl7v2.internal;

import java.util.List;
import java.util.Optional;

/**
 * Which senders may send to a connector, by MSH-3 (sending application) and optionally MSH-4 (sending facility)
 * namespace ids, compared exactly. An empty list allows every sender that can reach the port.
 */
public final class SenderAllowList {

    /** One allowed sender; an empty facility matches any facility. */
    public record Sender(String application, Optional<String> facility) {
        /** Parses {@code APP} or {@code APP^FACILITY}. */
        public static Optional<Sender> parse(String text) {
            String[] parts = text.trim().split("\\^", -1);
            if (parts.length > 2 || parts[0].isBlank() || (parts.length == 2 && parts[1].isBlank())) {
                return Optional.empty();
            }
            return Optional.of(new Sender(parts[0].trim(),
                    parts.length == 2 ? Optional.of(parts[1].trim()) : Optional.empty()));
        }
    }

    private final List<Sender> senders;

    public SenderAllowList(List<Sender> senders) {
        this.senders = List.copyOf(senders);
    }

    /** Allows everyone. */
    public static SenderAllowList anyone() {
        return new SenderAllowList(List.of());
    }

    public boolean allows(String application, String facility) {
        return senders.isEmpty() || senders.stream().anyMatch(s -> s.application().equals(application)
                && s.facility().map(facility::equals).orElse(true));
    }
}
