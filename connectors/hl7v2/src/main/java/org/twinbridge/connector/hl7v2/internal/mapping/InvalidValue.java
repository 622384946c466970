package org.twinbridge.connector.hl7v2.internal.mapping;

import org.twinbridge.connector.hl7v2.internal.wire.Rejection;

/**
 * A typed field holds a value that does not parse as its type. Unchecked so that it leaves the mappers' lambdas;
 * {@link MessageMapper} turns it into the message's rejection. Carries positions only, never the value.
 */
final class InvalidValue extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient Rejection rejection;

    InvalidValue(Rejection rejection) {
        super(rejection.code() + " " + rejection.message(), null, false, false);
        this.rejection = rejection;
    }

    Rejection rejection() {
        return rejection;
    }
}
