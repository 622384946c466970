package org.twinbridge.tools.keycloak;

/** A provisioning step Keycloak refused; the message names the step and the HTTP status, never a secret. */
public final class KeycloakSyncException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KeycloakSyncException(String message) {
        super(message);
    }
}
