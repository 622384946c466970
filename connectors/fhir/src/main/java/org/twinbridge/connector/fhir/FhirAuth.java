package org.twinbridge.connector.fhir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * How the connector authenticates to the FHIR server, from the {@code auth} section. Secrets come from an
 * environment variable or a file, never from the configuration itself, and {@link #toString()} never shows them.
 */
sealed interface FhirAuth {

    /** The credentials that sign requests; {@code tokenHttp} makes HTTP requests to a token endpoint. */
    Credentials credentials(TokenHttp tokenHttp);

    /** Makes HTTP clients, without credentials, for token endpoints and discovery documents. */
    @FunctionalInterface
    interface TokenHttp {
        FhirHttp create();
    }

    /** No authentication. */
    record None() implements FhirAuth {
        @Override
        public Credentials credentials(TokenHttp tokenHttp) {
            return Credentials.NONE;
        }
    }

    /** HTTP Basic. */
    record Basic(String username, Secret password) implements FhirAuth {
        @Override
        public Credentials credentials(TokenHttp tokenHttp) {
            String header = "Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + password.reveal()).getBytes(StandardCharsets.UTF_8));
            return () -> Optional.of(header);
        }
    }

    /** A static bearer token. */
    record Bearer(Secret token) implements FhirAuth {
        @Override
        public Credentials credentials(TokenHttp tokenHttp) {
            String header = "Bearer " + token.reveal();
            return () -> Optional.of(header);
        }
    }

    static FhirAuth from(ConnectorSettings auth, Path baseDir) throws ConnectorConfigException {
        String type = auth.string("type").orElse("none");
        return switch (type) {
            case "none" -> new None();
            case "basic" -> new Basic(auth.requireString("username"), Secret.read(auth, "auth", "password", baseDir));
            case "bearer" -> new Bearer(Secret.read(auth, "auth", "token", baseDir));
            default -> throw new ConnectorConfigException("auth",
                    "'auth.type' is '" + type + "'; expected one of none, basic, bearer, smart-backend");
        };
    }
}
