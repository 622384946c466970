package org.twinbridge.federation.coordinator;

import java.net.URI;
import java.util.Objects;

/** A site the coordinator sends tasks to: its name (its certificate's common name) and its base URL. */
public record Peer(String site, URI url) {
    public Peer {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(url, "url");
        if (!"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("TB-FED-001 peer " + site + " must be reached over https, not " + url);
        }
    }
}
