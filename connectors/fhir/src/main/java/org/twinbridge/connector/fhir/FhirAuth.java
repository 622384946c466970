package org.twinbridge.connector.fhir;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * How the connector authenticates to the FHIR server. Secrets come from an environment variable or a file,
 * never from the configuration itself, and {@link #toString()} never shows them.
 */
sealed interface FhirAuth {

    /** The HAPI client interceptor that adds credentials, if any. */
    Optional<IClientInterceptor> interceptor();

    /** No authentication. */
    record None() implements FhirAuth {
        @Override
        public Optional<IClientInterceptor> interceptor() {
            return Optional.empty();
        }
    }

    /** HTTP Basic. */
    record Basic(String username, Secret password) implements FhirAuth {
        @Override
        public Optional<IClientInterceptor> interceptor() {
            return Optional.of(new BasicAuthInterceptor(username, password.reveal()));
        }
    }

    /** A static bearer token. */
    record Bearer(Secret token) implements FhirAuth {
        @Override
        public Optional<IClientInterceptor> interceptor() {
            return Optional.of(new BearerTokenAuthInterceptor(token.reveal()));
        }
    }

    /** A secret read from the environment or a file; prints as its source only. */
    record Secret(String source, String value) {
        String reveal() {
            return value;
        }

        @Override
        public String toString() {
            return "Secret[" + source + "]";
        }
    }

    static FhirAuth from(ConnectorSettings auth) throws ConnectorConfigException {
        String type = auth.string("type").orElse("none");
        return switch (type) {
            case "none" -> new None();
            case "basic" -> new Basic(auth.requireString("username"), secret(auth, "password"));
            case "bearer" -> new Bearer(secret(auth, "token"));
            default -> throw new ConnectorConfigException("auth",
                    "'auth.type' is '" + type + "'; expected one of none, basic, bearer");
        };
    }

    private static Secret secret(ConnectorSettings auth, String name) throws ConnectorConfigException {
        Optional<String> env = auth.string(name + "-env");
        Optional<String> file = auth.string(name + "-file");
        if (env.isPresent() == file.isPresent()) {
            throw new ConnectorConfigException("auth",
                    "'auth' needs exactly one of '" + name + "-env' or '" + name + "-file'");
        }
        if (env.isPresent()) {
            String value = System.getenv(env.get());
            if (value == null || value.isBlank()) {
                throw new ConnectorConfigException("auth", "'auth." + name + "-env' names environment variable "
                        + env.get() + ", which is not set or empty");
            }
            return new Secret("env:" + env.get(), value);
        }
        String value;
        try {
            value = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).trim();
        } catch (IOException | InvalidPathException e) {
            throw new ConnectorConfigException("auth", "'auth." + name + "-file' names " + file.get()
                    + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (value.isEmpty()) {
            throw new ConnectorConfigException("auth", "'auth." + name + "-file' names " + file.get()
                    + ", which is empty");
        }
        return new Secret("file:" + file.get(), value);
    }
}
