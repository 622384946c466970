package org.twinbridge.connector.hl7v2.internal.mapping;

import org.twinbridge.connector.hl7v2.internal.wire.Rejection;

/** The message cannot be mapped as it stands; carries the rejection to acknowledge it with (no content). */
public final class MappingException extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient Rejection rejection;

    MappingException(Rejection rejection) {
        super(rejection.code() + " " + rejection.message());
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
