package org.twinbridge.runtime.config;

import org.twinbridge.policy.yaml.LocatedError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.runtime.retry.RetryPolicy;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * A node's validated configuration (one YAML file). Relative paths are already resolved against the
 * directory of the configuration file. {@code consent:} is the consent module's own settings type: per-purpose
 * defaults, the Consent actors each plugin is known by, and the custodian organisation of each connector.
 */
public record NodeConfig(
        String source,
        Node node,
        Storage storage,
        Keys keys,
        List<Connector> connectors,
        Plugins plugins,
        Policies policies,
        ConsentSettings consent,
        Audit audit,
        List<Sink> sinks,
        Optional<Api> api,
        Optional<Federation> federation,
        Optional<Journal> journal) {

    public NodeConfig {
        Objects.requireNonNull(federation, "federation");
        Objects.requireNonNull(journal, "journal");
        connectors = List.copyOf(connectors);
        sinks = List.copyOf(sinks);
        Objects.requireNonNull(consent, "consent");
        Objects.requireNonNull(api, "api");
    }

    /** {@code node:} the node's identity and data directory. */
    public record Node(String id, Path dataDir) {
    }

    /** {@code storage:} where the journal, cursors, state and outputs live. */
    public record Storage(String url, Optional<String> user, Optional<SecretRef> password) {
    }

    /** {@code keys:} the PKCS#12 keystore and where its password comes from. */
    public record Keys(Path keystore, SecretRef password) {
    }

    /**
     * One entry of {@code connectors:}.
     *
     * @param position where the entry starts, for errors reported later (e.g. by the connector itself)
     */
    public record Connector(String id, String type, ConnectorSettings settings, LocatedError position) {
    }

    /**
     * {@code plugins:} where plugin jars are loaded from, and whether they must be signed.
     *
     * @param requireSigned     whether a plugin must carry a valid signature by a trusted vendor certificate
     * @param trustStore        the directory of trusted vendor certificates (and revocation lists)
     * @param requireSignedUnset true when {@code require-signed} was not written and no trust store is
     *                          configured: unsigned plugins still load, with a warning (the transition default,
     *                          see docs/operators.md)
     * @param retry             how often a delivery that throws is tried before the record is parked
     */
    public record Plugins(Path dir, boolean requireSigned, Optional<Path> trustStore, boolean requireSignedUnset,
            RetryPolicy retry, Isolation isolation) {
        public Plugins {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(trustStore, "trustStore");
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(isolation, "isolation");
        }

        /** With the default isolation: every plugin in its own sandboxed process. */
        public Plugins(Path dir, boolean requireSigned, Optional<Path> trustStore, boolean requireSignedUnset,
                RetryPolicy retry) {
            this(dir, requireSigned, trustStore, requireSignedUnset, retry, Isolation.DEFAULT);
        }

        /** With the default retry policy and isolation. */
        public Plugins(Path dir, boolean requireSigned, Optional<Path> trustStore, boolean requireSignedUnset) {
            this(dir, requireSigned, trustStore, requireSignedUnset, RetryPolicy.DEFAULT);
        }

        public Plugins withIsolation(Isolation isolation) {
            return new Plugins(dir, requireSigned, trustStore, requireSignedUnset, retry, isolation);
        }
    }

    /**
     * How plugins are isolated from the node: {@code plugins.trusted}, {@code plugins.allow-unsandboxed} and
     * {@code plugins.process}.
     *
     * @param trusted          plugin ids the operator marks as trusted code: they run inside the node's JVM,
     *                         unisolated; every other plugin runs in a child process of its own
     * @param allowUnsandboxed whether plugin processes may start without the OS sandbox (bubblewrap) where it is
     *                         unavailable; false means such plugins are refused
     * @param heapMb           the child JVM's maximum heap ({@code -Xmx})
     * @param maxRssMb         the child's resident memory limit; above it the process is killed
     * @param batchTimeout     how long one batch may take before the process is killed
     * @param startTimeout     how long a process may take to start and greet
     * @param maxOutputBytes   the largest answer a process may send for one batch
     */
    public record Isolation(java.util.Set<String> trusted, boolean allowUnsandboxed, int heapMb, int maxRssMb,
            java.time.Duration batchTimeout, java.time.Duration startTimeout, int maxOutputBytes) {
        public static final Isolation DEFAULT = new Isolation(java.util.Set.of(), false, 192, 640,
                java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(60), 16 << 20);

        public Isolation {
            trusted = java.util.Set.copyOf(trusted);
            if (heapMb < 16 || maxRssMb <= heapMb) {
                throw new IllegalArgumentException("plugin process heap must be at least 16 MiB and below max-rss");
            }
            Objects.requireNonNull(batchTimeout, "batchTimeout");
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (maxOutputBytes < 1024) {
                throw new IllegalArgumentException("plugin process output limit must be at least 1 KiB");
            }
        }

        /** Whether this plugin runs in the node's own JVM. */
        public boolean inProcess(String pluginId) {
            return trusted.contains(pluginId);
        }
    }

    /** {@code audit:} the audit trail's checkpoint interval. */
    public record Audit(int checkpointInterval) {
        public static final int DEFAULT_CHECKPOINT_INTERVAL = 1000;

        public Audit {
            if (checkpointInterval < 1) {
                throw new IllegalArgumentException("checkpoint interval must be at least 1");
            }
        }
    }

    /**
     * {@code policies:} the policy directory (hot-reloaded), or instead a plain allow-list of resource types per
     * plugin; and the purpose of use each plugin acts under. With neither, every record is denied.
     */
    public record Policies(Optional<Path> dir, Map<String, String> purposes, Map<String, List<String>> allow) {
        public Policies {
            Objects.requireNonNull(dir, "dir");
            purposes = Map.copyOf(purposes);
            allow = Map.copyOf(allow);
        }
    }

    /**
     * One entry of {@code sinks:}: where plugin outputs go.
     *
     * @param type       {@code log}, {@code fhir}, {@code mqtt} or {@code webhook}
     * @param purpose    the HL7 v3 PurposeOfUse the receiver acts under; only {@code TREAT} sinks receive
     *                   re-identified outputs (and only outputs of plugins acting for TREAT)
     * @param plugins    the plugins whose outputs go here; empty means every plugin
     * @param kinds      the output kinds that go here (OBSERVATION, RISK_ASSESSMENT, ALERT); empty means all
     * @param target     the receiver: a FHIR base URL, a webhook URL or an MQTT broker URL; empty for {@code log}
     * @param topic      the MQTT topic, with optional {@code {plugin}} and {@code {kind}} placeholders
     * @param token      a bearer token for {@code fhir} and {@code webhook}, from the environment or a file
     * @param backoff    the first retry delay; doubles per failed attempt up to {@code maxBackoff}
     * @param timeout    how long one delivery attempt may take
     */
    public record Sink(String id, String type, String purpose, java.util.Set<String> plugins,
            java.util.Set<String> kinds, Optional<String> target, Optional<String> topic, Optional<SecretRef> token,
            java.time.Duration backoff, java.time.Duration maxBackoff, java.time.Duration timeout) {
        public Sink {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(purpose, "purpose");
            plugins = java.util.Set.copyOf(plugins);
            kinds = java.util.Set.copyOf(kinds);
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(token, "token");
        }

        /** Whether this sink may receive re-identified outputs at all. */
        public boolean treatment() {
            return purpose.equals("TREAT");
        }
    }

    /**
     * {@code api:} the admin HTTP API (docs/api.md). Absent means no API is served.
     *
     * @param bind                the address to listen on; 127.0.0.1 unless configured otherwise
     * @param port                the TCP port (0 picks a free one, for tests)
     * @param oidc                the token issuer the API trusts
     * @param roleMapping         token role name to TwinBridge role, for hospitals whose roles are named otherwise
     * @param maxRequestBytes     the largest request body accepted (413 above it)
     * @param rateLimitPerMinute  requests per minute per subject (429 above it)
     * @param authFailuresPerMinute failed authentications per minute per source address; above it the address
     *                            is refused (429) before its token is even looked at
     * @param keycloak            what {@code twinbridge keycloak sync} needs to provision the issuer's realm
     * @param tls                 native TLS for the API; absent means plain HTTP (loopback or behind a proxy)
     */
    public record Api(String bind, int port, Oidc oidc, Map<String, String> roleMapping, long maxRequestBytes,
            int rateLimitPerMinute, int authFailuresPerMinute, Optional<Keycloak> keycloak, Optional<ApiTls> tls) {
        public static final long DEFAULT_MAX_REQUEST_BYTES = 1 << 20;
        public static final int DEFAULT_RATE_LIMIT_PER_MINUTE = 120;
        public static final int DEFAULT_AUTH_FAILURES_PER_MINUTE = 20;

        public Api {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(oidc, "oidc");
            roleMapping = Map.copyOf(roleMapping);
            Objects.requireNonNull(keycloak, "keycloak");
            Objects.requireNonNull(tls, "tls");
        }

        /** Without TLS. */
        public Api(String bind, int port, Oidc oidc, Map<String, String> roleMapping, long maxRequestBytes,
                int rateLimitPerMinute, int authFailuresPerMinute, Optional<Keycloak> keycloak) {
            this(bind, port, oidc, roleMapping, maxRequestBytes, rateLimitPerMinute, authFailuresPerMinute, keycloak,
                    Optional.empty());
        }
    }

    /**
     * {@code api.tls:} the API's own TLS, so that no reverse proxy is needed in front of it.
     *
     * @param keystore           PKCS#12 file with the server's private key and certificate chain
     * @param keystorePassword   where the keystore's password is
     * @param truststore         PKCS#12 file with the CA certificates client certificates must chain to; present
     *                           exactly when client certificates are required
     * @param truststorePassword where the truststore's password is; present with the truststore
     */
    public record ApiTls(java.nio.file.Path keystore, SecretRef keystorePassword,
            Optional<java.nio.file.Path> truststore, Optional<SecretRef> truststorePassword) {
        public ApiTls {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(keystorePassword, "keystorePassword");
            if (truststore.isPresent() != truststorePassword.isPresent()) {
                throw new IllegalArgumentException("a truststore needs its password and nothing else does");
            }
        }

        /** Whether every client must present a certificate that chains to the truststore. */
        public boolean clientCertificatesRequired() {
            return truststore.isPresent();
        }
    }

    /**
     * {@code api.oidc:} the OpenID Connect issuer whose access tokens the API accepts.
     *
     * @param issuer     the exact {@code iss} of accepted tokens; its discovery document names the JWKS
     * @param audience   the {@code aud} every accepted token must carry
     * @param clientId   whose {@code resource_access.<client>.roles} count as roles, besides realm roles
     * @param algorithms the accepted JWS algorithms, asymmetric only
     * @param clockSkew  the tolerance for {@code exp} and {@code nbf}
     */
    public record Oidc(java.net.URI issuer, String audience, String clientId, java.util.Set<String> algorithms,
            java.time.Duration clockSkew) {
        public Oidc {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(clientId, "clientId");
            algorithms = java.util.Set.copyOf(algorithms);
            Objects.requireNonNull(clockSkew, "clockSkew");
        }
    }

    /**
     * {@code api.keycloak:} the admin login {@code keycloak sync} uses, and the federation peers it provisions
     * service accounts for, and the origins users open the console at (its client's redirect URIs; empty means the
     * API's own address). The server and realm come from {@code api.oidc.issuer}.
     */
    public record Keycloak(String adminRealm, String adminClientId, String adminUser, SecretRef adminPassword,
            List<String> federationPeers, List<String> consoleUrls) {
        public Keycloak {
            federationPeers = List.copyOf(federationPeers);
            consoleUrls = List.copyOf(consoleUrls);
        }
    }

    /**
     * {@code federation:} this node as a site of a federation (see docs/federation.md).
     *
     * @param site          the site name, the common name of its certificate; defaults to {@code node.id}
     * @param keystore      the site identity (PKCS#12: key and certificate), written by {@code federation init}
     * @param password      the identity keystore's password
     * @param trustDir      trusted peers ({@code peers/*.pem}), federation CAs ({@code ca/*.pem}) and
     *                      {@code revoked.txt}
     * @param listen        where the site accepts tasks over mutual TLS, if it does
     * @param serve         whether {@code twinbridge run} answers federated tasks on {@code listen} over the node's
     *                      own journal and consents (default: true when {@code listen} is set)
     * @param mayCoordinate whether this node may submit federated tasks
     * @param peers         the sites a coordinator sends tasks to
     */
    public record Federation(String site, Path keystore, SecretRef password, Path trustDir,
            Optional<java.net.InetSocketAddress> listen, boolean serve, boolean mayCoordinate,
            List<FederationPeer> peers) {
        public Federation {
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(trustDir, "trustDir");
            Objects.requireNonNull(listen, "listen");
            peers = List.copyOf(peers);
        }
    }

    /** One peer site: its name (certificate common name) and base URL ({@code https://host:port}). */
    public record FederationPeer(String site, java.net.URI url) {
    }

    /**
     * {@code journal: { type: kafka, ... }}: the journal on Apache Kafka, shared by every node of the same group
     * (docs/scale-out.md). Absent: the journal is the node's own database.
     *
     * @param bootstrap  the brokers, {@code host:port[,host:port...]}
     * @param topic      the journal topic, partitioned by internal patient key
     * @param partitions partitions to create the topic with when it does not exist
     * @param group      the workers' consumer group
     * @param work       whether this node runs plugins on the partitions it is assigned (false: it only ingests)
     */
    public record Journal(String bootstrap, String topic, int partitions, String group, boolean work) {
        public Journal {
            Objects.requireNonNull(bootstrap, "bootstrap");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(group, "group");
        }
    }
}
