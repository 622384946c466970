package org.twinbridge.connector.fhir;

import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * How the connector authenticates to the FHIR server, from the {@code auth} section. Secrets come from an
 * environment variable or a file, never from the configuration itself, and {@link #toString()} never shows them.
 */
sealed interface FhirAuth {

    /**
     * The credentials that sign requests.
     *
     * @param baseUrl   the FHIR server's base URL (for discovery)
     * @param tokenHttp makes an HTTP client, without credentials, for token endpoints and discovery
     */
    Credentials credentials(String baseUrl, TokenHttp tokenHttp, Timing timing);

    /**
     * The HAPI client interceptor that signs each search request, or empty for none.
     *
     * @param credentials what {@link #credentials} made of this section (the SMART token source reuses it)
     */
    Optional<Object> interceptor(Credentials credentials);

    /** Makes an HTTP client without credentials. */
    @FunctionalInterface
    interface TokenHttp {
        FhirHttp create();
    }

    /** No authentication. */
    record None() implements FhirAuth {
        @Override
        public Credentials credentials(String baseUrl, TokenHttp tokenHttp, Timing timing) {
            return Credentials.NONE;
        }

        @Override
        public Optional<Object> interceptor(Credentials credentials) {
            return Optional.empty();
        }
    }

    /** HTTP Basic. */
    record Basic(String username, Secret password) implements FhirAuth {
        @Override
        public Credentials credentials(String baseUrl, TokenHttp tokenHttp, Timing timing) {
            String header = "Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + password.reveal()).getBytes(StandardCharsets.UTF_8));
            return () -> Optional.of(header);
        }

        @Override
        public Optional<Object> interceptor(Credentials credentials) {
            return Optional.of(new BasicAuthInterceptor(username, password.reveal()));
        }
    }

    /** A static bearer token. */
    record Bearer(Secret token) implements FhirAuth {
        @Override
        public Credentials credentials(String baseUrl, TokenHttp tokenHttp, Timing timing) {
            String header = "Bearer " + token.reveal();
            return () -> Optional.of(header);
        }

        @Override
        public Optional<Object> interceptor(Credentials credentials) {
            return Optional.of(new BearerTokenAuthInterceptor(token.reveal()));
        }
    }

    /**
     * SMART Backend Services: the client-credentials grant with a JWT client assertion signed by {@code key}.
     *
     * @param clientId the client id registered with the server's authorisation service
     * @param tokenUrl the token endpoint, or empty to discover it from {@code .well-known/smart-configuration}
     * @param scope    the scopes asked for, space-separated
     */
    record SmartBackend(String clientId, Optional<URI> tokenUrl, String scope, SigningKey key) implements FhirAuth {
        @Override
        public Credentials credentials(String baseUrl, TokenHttp tokenHttp, Timing timing) {
            return new SmartTokenSource(this, baseUrl, tokenHttp.create(), timing);
        }

        @Override
        public Optional<Object> interceptor(Credentials credentials) {
            return Optional.of(new CredentialsInterceptor(credentials));
        }

        /** A token endpoint must be absolute; http only when the FHIR server itself is plain http (tests, labs). */
        static boolean acceptable(URI tokenUrl, String baseUrl) {
            String scheme = String.valueOf(tokenUrl.getScheme());
            return tokenUrl.isAbsolute() && tokenUrl.getHost() != null
                    && (scheme.equals("https") || scheme.equals("http") && baseUrl.startsWith("http:"));
        }
    }

    Map<String, Set<String>> KEYS = Map.of(
            "none", Set.of("type"),
            "basic", Set.of("type", "username", "password-env", "password-file"),
            "bearer", Set.of("type", "token-env", "token-file"),
            "smart-backend", Set.of("type", "client-id", "token-url", "scope", "keystore", "key-alias",
                    "keystore-password-env", "keystore-password-file", "algorithm", "key-id"));

    /**
     * Reads the {@code auth} section.
     *
     * @param baseUrl   the FHIR server's base URL
     * @param resources the resource types polled, for the default SMART scope
     * @param baseDir   the directory relative file names are resolved against
     */
    static FhirAuth from(ConnectorSettings auth, String baseUrl, List<String> resources, Path baseDir)
            throws ConnectorConfigException {
        String type = auth.string("type").orElse("none");
        Set<String> allowed = KEYS.get(type);
        if (allowed == null) {
            throw new ConnectorConfigException("auth", "'auth.type' is '" + type
                    + "'; expected one of none, basic, bearer, smart-backend");
        }
        for (String key : auth.asMap().keySet()) {
            if (!allowed.contains(key)) {
                throw new ConnectorConfigException("auth", "'auth." + key + "' is not a setting of auth type " + type
                        + "; expected one of " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return switch (type) {
            case "basic" -> new Basic(auth.requireString("username"), Secret.read(auth, "auth", "password", baseDir));
            case "bearer" -> new Bearer(Secret.read(auth, "auth", "token", baseDir));
            case "smart-backend" -> smartBackend(auth, baseUrl, resources, baseDir);
            default -> new None();
        };
    }

    private static SmartBackend smartBackend(ConnectorSettings auth, String baseUrl, List<String> resources,
            Path baseDir) throws ConnectorConfigException {
        String clientId = required(auth, "client-id");
        Optional<URI> tokenUrl = Optional.empty();
        if (auth.string("token-url").isPresent()) {
            String text = auth.string("token-url").get();
            URI uri;
            try {
                uri = URI.create(text);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || !SmartBackend.acceptable(uri, baseUrl)) {
                throw new ConnectorConfigException("auth", "'auth.token-url' must be an absolute https URL (http is "
                        + "allowed only when base-url is http), not '" + text + "'");
            }
            tokenUrl = Optional.of(uri);
        }
        String scope = auth.string("scope").orElseGet(() -> resources.stream().map(r -> "system/" + r + ".read")
                .collect(Collectors.joining(" ")));
        if (scope.isBlank()) {
            throw new ConnectorConfigException("auth", "'auth.scope' must not be empty");
        }
        Secret password = Secret.read(auth, "auth", "keystore-password", baseDir);
        Path keystore;
        try {
            keystore = baseDir.resolve(required(auth, "keystore"));
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConnectorConfigException("auth", "'auth.keystore' is not a valid file name");
        }
        SigningKey key = SigningKey.load(keystore, required(auth, "key-alias"), password, auth.string("algorithm"),
                auth.string("key-id"));
        return new SmartBackend(clientId, tokenUrl, scope, key);
    }

    private static String required(ConnectorSettings auth, String key) throws ConnectorConfigException {
        Optional<String> value = auth.string(key);
        if (value.isEmpty() || value.get().isBlank()) {
            throw new ConnectorConfigException("auth", "'auth." + key + "' is required for auth type smart-backend");
        }
        return value.get();
    }
}
