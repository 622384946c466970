package org.twinbridge.runtime.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.twinbridge.policy.yaml.YamlSection;

/** Reads and validates the {@code api:} section (see docs/api.md); every error is located. */
final class ApiSection {

    /** The TwinBridge roles a token role may be mapped to. */
    static final Set<String> ROLES = Set.of("privacy-officer", "integration-admin", "auditor", "clinician");
    /** Asymmetric JWS algorithms only: an HMAC algorithm would let anyone holding the public key forge tokens. */
    static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
            "ES384", "ES512", "EdDSA");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern PEER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern CONSOLE_URL = Pattern.compile("https?://[A-Za-z0-9.\\[\\]:-]+(:[0-9]{1,5})?");

    private ApiSection() {
    }

    static NodeConfig.Api read(YamlSection s, Path baseDir) {
        s.allowOnly(Set.of("bind", "port", "oidc", "roles", "max-request-bytes", "rate-limit-per-minute",
                "auth-failures-per-minute", "keycloak", "tls"));
        String bind = s.string("bind").orElse("127.0.0.1");
        if (bind.isBlank()) {
            s.errorAt("bind", "TB-CONFIG-004", "'api.bind' must be an address such as 127.0.0.1");
        }
        int port = (int) number(s, "port", 8080, 0, 65535, "a TCP port from 0 to 65535");
        long maxBytes = number(s, "max-request-bytes", NodeConfig.Api.DEFAULT_MAX_REQUEST_BYTES, 1024, 64L << 20,
                "a size in bytes from 1024 to 67108864");
        int rate = (int) number(s, "rate-limit-per-minute", NodeConfig.Api.DEFAULT_RATE_LIMIT_PER_MINUTE, 1, 100_000,
                "a whole number of requests from 1 to 100000");
        int authFailures = (int) number(s, "auth-failures-per-minute",
                NodeConfig.Api.DEFAULT_AUTH_FAILURES_PER_MINUTE, 1, 100_000, "a whole number of attempts from 1 to 100000");
        Optional<YamlSection> oidcSection = s.section("oidc");
        if (oidcSection.isEmpty()) {
            s.errorAt("oidc", "TB-CONFIG-004", "missing section 'api.oidc', for example oidc: { issuer: "
                    + "\"https://sso.hospital.example/realms/twinbridge\", audience: twinbridge-api }");
        }
        NodeConfig.Oidc oidc = oidcSection.map(ApiSection::oidc).orElseGet(() -> new NodeConfig.Oidc(
                URI.create("http://invalid.invalid/"), "", "", Set.of("RS256"), Duration.ZERO));
        Map<String, String> roles = new LinkedHashMap<>();
        s.section("roles").ifPresent(r -> r.keys().forEach(tokenRole -> r.string(tokenRole).ifPresent(role -> {
            if (!ROLES.contains(role)) {
                r.errorAt(tokenRole, "TB-CONFIG-004", "'" + r.qualified(tokenRole) + "' maps to unknown role '" + role
                        + "'; expected one of: " + String.join(", ", new java.util.TreeSet<>(ROLES)));
            }
            roles.put(tokenRole, role);
        })));
        return new NodeConfig.Api(bind, port, oidc, roles, maxBytes, rate, authFailures,
                s.section("keycloak").map(k -> keycloak(k, baseDir)), s.section("tls").map(t -> tls(t, baseDir)));
    }

    private static NodeConfig.ApiTls tls(YamlSection s, Path baseDir) {
        s.allowOnly(Set.of("keystore", "password-env", "password-file", "client-auth", "truststore",
                "truststore-password-env", "truststore-password-file"));
        String keystore = s.requireString("keystore", "keystore: ./api-tls.p12");
        SecretRef password = secret(s, "password", baseDir, "api-tls.pw");
        Optional<String> truststore = s.string("truststore");
        // The same keys as the MLLP listener's tls; 'want' is not offered, as the API would not use the identity.
        String clientAuth = s.string("client-auth").orElse(truststore.isPresent() ? "require" : "none");
        if (!clientAuth.equals("none") && !clientAuth.equals("require")) {
            s.errorAt("client-auth", "TB-CONFIG-004", "'api.tls.client-auth' must be 'none' or 'require', not '"
                    + clientAuth + "'");
        } else if (clientAuth.equals("require") != truststore.isPresent()) {
            s.errorAt(truststore.isPresent() ? "truststore" : "client-auth", "TB-CONFIG-004",
                    "'api.tls.client-auth: require' needs 'api.tls.truststore' (the CAs client certificates must "
                    + "chain to), and a truststore is only used with it");
        }
        if (!clientAuth.equals("require")) {
            truststore = Optional.empty();
        }
        Optional<Path> trust = truststore.map(baseDir::resolve);
        return new NodeConfig.ApiTls(baseDir.resolve(keystore), password, trust,
                trust.map(t -> secret(s, "truststore-password", baseDir, "api-truststore.pw")));
    }

    /** {@code <prefix>-env} or {@code <prefix>-file}; at most one, the file {@code fallback} when neither. */
    private static SecretRef secret(YamlSection s, String prefix, Path baseDir, String fallback) {
        Optional<String> env = s.string(prefix + "-env");
        Optional<String> file = s.string(prefix + "-file");
        if (env.isPresent() && file.isPresent()) {
            s.errorAt(prefix + "-file", "TB-CONFIG-004", "give at most one of '" + s.qualified(prefix + "-env")
                    + "' and '" + s.qualified(prefix + "-file") + "'");
        }
        if (env.isPresent()) {
            return new SecretRef.FromEnv(env.get(), s.errorHere("TB-KEYS-002", "environment variable " + env.get()
                    + " (" + s.qualified(prefix + "-env") + ") is not set"));
        }
        String f = file.orElse(fallback);
        return new SecretRef.FromFile(baseDir.resolve(f), s.errorHere("TB-KEYS-002", "cannot read password file "
                + f + " (" + s.qualified(prefix + "-file") + ")"));
    }

    private static NodeConfig.Oidc oidc(YamlSection s) {
        s.allowOnly(Set.of("issuer", "audience", "client-id", "algorithms", "clock-skew-seconds"));
        String issuerText = s.requireString("issuer", "issuer: \"https://sso.hospital.example/realms/twinbridge\"");
        URI issuer = URI.create("http://invalid.invalid/");
        try {
            issuer = new URI(issuerText);
            if (!issuerText.isEmpty() && (issuer.getHost() == null
                    || !(issuer.getScheme().equals("https") || issuer.getScheme().equals("http")))) {
                s.errorAt("issuer", "TB-CONFIG-004", "'api.oidc.issuer' must be an http(s) URL with a host, not '"
                        + issuerText + "'");
            }
        } catch (java.net.URISyntaxException e) {
            s.errorAt("issuer", "TB-CONFIG-004", "'api.oidc.issuer' is not a URL: '" + issuerText + "'");
        }
        String audience = s.requireString("audience", "audience: twinbridge-api");
        String clientId = s.string("client-id").orElse(audience);
        if (!clientId.isEmpty() && !CLIENT_ID.matcher(clientId).matches()) {
            s.errorAt("client-id", "TB-CONFIG-004", "'api.oidc.client-id' must be letters, digits, '.', '_' or '-'");
        }
        Set<String> algorithms = new LinkedHashSet<>(s.strings("algorithms").orElse(List.of("RS256")));
        for (String alg : algorithms) {
            if (!ALGORITHMS.contains(alg)) {
                s.errorAt("algorithms", "TB-CONFIG-004", "'api.oidc.algorithms' may name asymmetric JWS algorithms "
                        + "only, not '" + alg + "'; expected some of: " + String.join(", ",
                        new java.util.TreeSet<>(ALGORITHMS)));
            }
        }
        if (algorithms.isEmpty()) {
            s.errorAt("algorithms", "TB-CONFIG-004", "'api.oidc.algorithms' must name at least one algorithm");
            algorithms.add("RS256");
        }
        long skew = number(s, "clock-skew-seconds", 30, 0, 300, "a number of seconds from 0 to 300");
        return new NodeConfig.Oidc(issuer, audience, clientId, algorithms, Duration.ofSeconds(skew));
    }

    private static NodeConfig.Keycloak keycloak(YamlSection s, Path baseDir) {
        s.allowOnly(Set.of("admin-realm", "admin-client-id", "admin-user", "admin-password-env",
                "admin-password-file", "federation-peers", "console-urls"));
        String user = s.requireString("admin-user", "admin-user: twinbridge-provisioner");
        Optional<String> env = s.string("admin-password-env");
        Optional<String> file = s.string("admin-password-file");
        SecretRef password;
        if (env.isPresent() == file.isPresent()) {
            s.errorAt(env.isPresent() ? "admin-password-file" : "admin-user", "TB-CONFIG-004",
                    "give exactly one of 'api.keycloak.admin-password-env' and 'api.keycloak.admin-password-file'");
        }
        if (env.isPresent()) {
            password = new SecretRef.FromEnv(env.get(), s.errorHere("TB-KEYS-002", "environment variable "
                    + env.get() + " (api.keycloak.admin-password-env) is not set"));
        } else {
            String f = file.orElse("keycloak-admin-password");
            password = new SecretRef.FromFile(baseDir.resolve(f), s.errorHere("TB-KEYS-002",
                    "cannot read password file " + f + " (api.keycloak.admin-password-file)"));
        }
        List<String> peers = s.strings("federation-peers").orElse(List.of());
        peers.stream().filter(p -> !PEER_ID.matcher(p).matches()).findFirst().ifPresent(bad -> s.errorAt(
                "federation-peers", "TB-CONFIG-004", "federation peer id '" + bad
                        + "' must be lower-case letters, digits and dashes"));
        List<String> consoleUrls = s.strings("console-urls").orElse(List.of());
        consoleUrls.stream().filter(u -> !CONSOLE_URL.matcher(u).matches()).findFirst().ifPresent(bad -> s.errorAt(
                "console-urls", "TB-CONFIG-004", "console URL '" + bad + "' must be an origin such as "
                        + "https://twinbridge.st-marys.example (http or https, host, optional port, no path)"));
        return new NodeConfig.Keycloak(s.string("admin-realm").orElse("master"),
                s.string("admin-client-id").orElse("admin-cli"), user, password, peers, consoleUrls);
    }

    private static long number(YamlSection s, String key, long fallback, long min, long max, String expected) {
        Optional<String> text = s.string(key);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        s.errorAt(key, "TB-CONFIG-004", "'" + s.qualified(key) + "' must be " + expected + ", not '" + text.get()
                + "'");
        return fallback;
    }
}
