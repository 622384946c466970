package org.twinbridge.runtime.config;

import org.twinbridge.policy.yaml.LocatedError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.twinbridge.consent.model.ConsentSettings;
import org.twinbridge.consent.model.Effect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    private static final Path BASE = Path.of("/etc/twinbridge");
    private final ConfigLoader loader = new ConfigLoader(Map.of("fhir", Set.of("base-url", "poll", "resources")));

    private NodeConfig parse(String yaml) throws ConfigException {
        return loader.parse("node.yaml", BASE, new StringReader(yaml));
    }

    private List<LocatedError> errorsOf(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> parse(yaml)).errors();
    }

    @Test
    void parse_fullConfig_resolvesPathsAgainstTheConfigDirectory() throws Exception {
        NodeConfig config = parse("""
                node: { id: st-marys, data-dir: ./data }
                keys: { keystore: ./data/keys.p12, password-env: TB_PW }
                connectors:
                  - { id: ehr, type: fhir, base-url: "http://ehr.local/fhir", poll: 30s, resources: [Patient] }
                plugins: { dir: ./plugins, require-signed: false }
                policies:
                  purposes: { news2-twin: TREAT }
                  allow: { news2-twin: [Observation, Patient] }
                """);

        assertThat(config.node().id()).isEqualTo("st-marys");
        assertThat(config.node().dataDir()).isEqualTo(Path.of("/etc/twinbridge/data"));
        assertThat(config.storage().url()).isEqualTo("jdbc:sqlite:/etc/twinbridge/data/twinbridge.db");
        assertThat(config.keys().keystore()).isEqualTo(Path.of("/etc/twinbridge/data/keys.p12"));
        assertThat(config.keys().password()).isInstanceOfSatisfying(SecretRef.FromEnv.class,
                env -> assertThat(env.variable()).isEqualTo("TB_PW"));
        assertThat(config.connectors()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("ehr");
            assertThat(c.settings().asMap()).containsEntry("base-url", "http://ehr.local/fhir")
                    .containsEntry("resources", List.of("Patient"));
        });
        assertThat(config.policies().allow()).containsEntry("news2-twin", List.of("Observation", "Patient"));
        assertThat(config.policies().purposes()).containsEntry("news2-twin", "TREAT");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            relative file URL      | jdbc:sqlite:./data/tb.db      | jdbc:sqlite:/etc/twinbridge/data/tb.db
            parent directory       | jdbc:sqlite:../shared/tb.db   | jdbc:sqlite:/etc/shared/tb.db
            absolute file URL      | jdbc:sqlite:/var/lib/tb/tb.db | jdbc:sqlite:/var/lib/tb/tb.db
            PostgreSQL             | jdbc:postgresql://db/tb       | jdbc:postgresql://db/tb
            """)
    void parse_relativeSqlitePath_isResolvedAgainstTheConfigDirectory(String name, String url, String expected)
            throws Exception {
        NodeConfig config = parse("node: { id: a }\nstorage: { url: \"" + url + "\" }\n");

        assertThat(config.storage().url()).isEqualTo(expected);
    }

    @Test
    void parse_pluginIsolation_defaultsToSandboxedProcesses_andReadsTrustedAndLimits() throws Exception {
        NodeConfig defaults = parse("""
                node: { id: a1 }
                plugins: { dir: ./plugins }
                """);
        NodeConfig tuned = parse("""
                node: { id: a1 }
                plugins:
                  trusted: [in-house-twin]
                  allow-unsandboxed: true
                  process: { heap-mb: 64, max-rss-mb: 256, batch-timeout: 5s, start-timeout: 2m, max-output-mb: 2 }
                """);

        assertThat(defaults.plugins().isolation()).isEqualTo(NodeConfig.Isolation.DEFAULT);
        assertThat(defaults.plugins().isolation().inProcess("news2-twin")).isFalse();
        assertThat(defaults.plugins().isolation().allowUnsandboxed()).isFalse();
        NodeConfig.Isolation isolation = tuned.plugins().isolation();
        assertThat(isolation.inProcess("in-house-twin")).isTrue();
        assertThat(isolation.allowUnsandboxed()).isTrue();
        assertThat(isolation.heapMb()).isEqualTo(64);
        assertThat(isolation.maxRssMb()).isEqualTo(256);
        assertThat(isolation.batchTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(isolation.startTimeout()).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(isolation.maxOutputBytes()).isEqualTo(2 << 20);
    }

    @Test
    void parse_pluginProcessLimits_outOfRange_areLocatedErrors() {
        List<LocatedError> errors = errorsOf("""
                node: { id: a1 }
                plugins:
                  process: { heap-mb: 512, max-rss-mb: 256, max-output-mb: lots, cpu: 2 }
                """);

        assertThat(errors).extracting(LocatedError::format)
                .anySatisfy(e -> assertThat(e).contains("TB-CONFIG-004").contains("max-rss-mb")
                        .contains("must be above 'heap-mb'"))
                .anySatisfy(e -> assertThat(e).contains("TB-CONFIG-004").contains("max-output-mb").contains("lots"))
                .anySatisfy(e -> assertThat(e).contains("unknown key 'plugins.process.cpu'"));
    }

    @Test
    void parse_kafkaJournal_readsBootstrapTopicPartitionsGroupAndWork_withDefaults() throws Exception {
        NodeConfig kafka = parse("""
                node: { id: a1 }
                storage: { url: "jdbc:postgresql://db:5432/tb", user: tb }
                journal: { type: kafka, bootstrap: "k1:9092,k2:9092", topic: tb-journal, partitions: 24, group: g1, work: false }
                """);
        assertThat(kafka.journal()).contains(new NodeConfig.Journal("k1:9092,k2:9092", "tb-journal", 24, "g1", false));
        NodeConfig defaults = parse("""
                node: { id: a1 }
                storage: { url: "jdbc:postgresql://db:5432/tb" }
                journal: { type: kafka, bootstrap: "k1:9092" }
                """);
        assertThat(defaults.journal()).contains(new NodeConfig.Journal("k1:9092", "twinbridge-journal", 12,
                "twinbridge-workers", true));
        assertThat(parse("node: { id: a1 }\n").journal()).isEmpty();
        assertThat(parse("node: { id: a1 }\njournal: { type: jdbc }\n").journal()).isEmpty();
    }

    @Test
    void parse_kafkaJournal_mistakes_areLocatedConfigErrors() {
        assertThat(errorsOf("""
                node: { id: a1 }
                journal: { type: kafka, bootstrap: "not a host", partitions: 0, topic: "a/b", acks: 1 }
                """)).extracting(LocatedError::format)
                .anySatisfy(e -> assertThat(e).contains("TB-CONFIG-004").contains("needs 'storage.url' on PostgreSQL"))
                .anySatisfy(e -> assertThat(e).contains("TB-CONFIG-004").contains("journal.bootstrap"))
                .anySatisfy(e -> assertThat(e).contains("TB-CONFIG-004").contains("journal.partitions"))
                .anySatisfy(e -> assertThat(e).contains("TB-CONFIG-004").contains("journal.topic"))
                .anySatisfy(e -> assertThat(e).contains("unknown key 'journal.acks'"));
        assertThat(errorsOf("node: { id: a1 }\njournal: { type: rabbit }\n")).extracting(LocatedError::format)
                .singleElement().satisfies(e -> assertThat(e).contains("node.yaml:2:").contains("TB-CONFIG-004")
                        .contains("must be jdbc (the default) or kafka"));
        assertThat(errorsOf("node: { id: a1 }\njournal: { topic: x }\n")).extracting(LocatedError::format)
                .singleElement().satisfies(e -> assertThat(e).contains("'journal.topic' applies to 'type: kafka'"));
    }

    @Test
    void parse_unknownTopLevelKey_pointsAtItsLineAndColumnAndListsTheAllowedKeys() {
        List<LocatedError> errors = errorsOf("""
                node: { id: a1 }
                stroage: { url: "jdbc:sqlite:./x.db" }
                """);

        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.format()).startsWith("node.yaml:2:1: TB-YAML-001 unknown key 'stroage'");
            assertThat(e.message()).contains("expected one of:").contains("storage");
        });
    }

    @Test
    void parse_unknownConnectorKey_isLocatedInsideTheConnector() {
        List<LocatedError> errors = errorsOf("""
                node: { id: a1 }
                connectors:
                  - id: ehr
                    type: fhir
                    base-url: http://x/fhir
                    pol: 30s
                """);

        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(6);
            assertThat(e.column()).isEqualTo(5);
            assertThat(e.message()).contains("'connectors[0].pol'").contains("poll");
        });
    }

    @Test
    void parse_missingNodeId_saysWhatIsExpected() {
        assertThat(errorsOf("node: { data-dir: ./d }\n")).singleElement()
                .satisfies(e -> assertThat(e.format()).contains("TB-YAML-002 missing key 'node.id'"));
    }

    @Test
    void parse_federation_readsSiteIdentityTrustListenAndPeers() throws Exception {
        NodeConfig config = parse("""
                node: { id: st-marys, data-dir: ./data }
                federation:
                  identity: { keystore: ./fed/identity.p12, password-env: FED_PASSWORD }
                  listen: "127.0.0.1:9443"
                  may-coordinate: true
                  peers: [ { site: city-general, url: "https://10.1.2.3:9443" } ]
                """);

        NodeConfig.Federation f = config.federation().orElseThrow();
        assertThat(f.site()).isEqualTo("st-marys");
        assertThat(f.keystore().toString()).endsWith("fed/identity.p12");
        assertThat(f.trustDir().toString()).endsWith("data/federation/trust");
        assertThat(f.listen().orElseThrow().getPort()).isEqualTo(9443);
        assertThat(f.mayCoordinate()).isTrue();
        assertThat(f.peers()).containsExactly(new NodeConfig.FederationPeer("city-general",
                java.net.URI.create("https://10.1.2.3:9443")));
    }

    @Test
    void parse_federationServe_defaultsToListening_andCanBeTurnedOff() throws Exception {
        assertThat(parse("node: { id: a1 }\nfederation: { listen: \"127.0.0.1:9443\" }\n").federation()
                .orElseThrow().serve()).isTrue();
        assertThat(parse("node: { id: a1 }\nfederation: { listen: \"127.0.0.1:9443\", serve: false }\n")
                .federation().orElseThrow().serve()).isFalse();
        assertThat(parse("node: { id: a1 }\nfederation: { may-coordinate: true }\n").federation().orElseThrow()
                .serve()).isFalse();
    }

    @Test
    void parse_federationServe_withoutListen_isAnError() {
        assertThat(errorsOf("node: { id: a1 }\nfederation: { serve: true }\n"))
                .anySatisfy(e -> assertThat(e.code() + " " + e.message()).startsWith("TB-FED-001")
                        .contains("federation.listen"));
    }

    @Test
    void parse_withoutFederation_hasNone() throws Exception {
        assertThat(parse("node: { id: a1 }\n").federation()).isEmpty();
    }

    @Test
    void parse_severalMistakes_reportsEveryOne() {
        List<LocatedError> errors = errorsOf("""
                node: { id: BAD ID }
                connectors:
                  - { id: x, type: carrier-pigeon }
                policies: { purposes: { news2-twin: TREATMENT } }
                federation: { listen: nope }
                """);

        assertThat(errors).extracting(LocatedError::code)
                .contains("TB-CONFIG-004", "TB-FED-001");
        assertThat(errors).hasSizeGreaterThanOrEqualTo(4);
        assertThat(errors).extracting(LocatedError::message).anySatisfy(m -> assertThat(m)
                .contains("unknown connector type 'carrier-pigeon'").contains("fhir"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "duplicate key        | 'node: { id: a }\nnode: { id: b }\n'                  | 2 | TB-YAML-006",
        "not YAML             | 'node: { id: a\n'                                     | 2 | TB-YAML-009",
        "list where map       | 'node: [a, b]\n'                                      | 1 | TB-YAML-003",
        "bad storage url      | 'node: { id: a }\nstorage: { url: \"mysql://x\" }\n'  | 2 | TB-CONFIG-004",
        "both password kinds  | 'node: { id: a }\nkeys: { password-env: A, password-file: b }\n' | 2 | TB-CONFIG-004",
    })
    void parse_badInput_givesALocatedError(String name, String yaml, int line, String code) {
        assertThat(errorsOf(yaml.replace("\\n", "\n"))).anySatisfy(e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.line()).isEqualTo(line);
        });
    }

    @Test
    void parse_empty_isAnError() {
        assertThat(errorsOf("")).singleElement()
                .satisfies(e -> assertThat(e.format()).isEqualTo("node.yaml:1:1: TB-YAML-002 the document is empty"));
    }

    @Test
    void parse_consentSection_givesDefaultsActorsAndCustodians() throws Exception {
        NodeConfig config = parse("""
                node: { id: a1 }
                consent:
                  defaults: { TREAT: permit, HRESCH: deny }
                  actors:
                    news2-twin: Device/news2-twin
                    research-cohort: [Device/research-cohort, Organization/uni-research]
                  custodians: { ehr: Organization/st-marys }
                """);

        ConsentSettings consent = config.consent();
        assertThat(consent.defaults().byPurpose()).containsEntry("TREAT", Effect.PERMIT)
                .containsEntry("HRESCH", Effect.DENY);
        assertThat(consent.actorsOf("research-cohort")).containsExactlyInAnyOrder("Device/research-cohort",
                "Organization/uni-research");
        assertThat(consent.actorsOf("glucose-twin")).containsExactly("Device/glucose-twin");
        assertThat(consent.custodianOf("ehr")).hasValue("Organization/st-marys");
    }

    @Test
    void parse_withoutConsentSection_deniesEveryPurposeByDefault() throws Exception {
        NodeConfig config = parse("node: { id: a1 }\n");

        assertThat(config.consent().defaults().resolve("TREAT").effect()).isEqualTo(Effect.DENY);
    }

    @Test
    void parse_consentMistakes_areEachLocatedAndSayWhatIsAllowed() {
        List<LocatedError> errors = errorsOf("""
                node: { id: a1 }
                consent:
                  defaults: { TREATMENT: permit, HRESCH: maybe }
                  actors: { news2-twin: "news2 twin" }
                  custodians: { ehr: st-marys }
                  default: { TREAT: deny }
                """);

        assertThat(errors).extracting(LocatedError::format).anySatisfy(m -> assertThat(m)
                        .startsWith("node.yaml:3:").contains("unknown purpose of use 'TREATMENT'"))
                .anySatisfy(m -> assertThat(m).startsWith("node.yaml:3:")
                        .contains("'consent.defaults.HRESCH' must be permit or deny, not 'maybe'"))
                .anySatisfy(m -> assertThat(m).startsWith("node.yaml:4:").contains("is not a literal FHIR reference"))
                .anySatisfy(m -> assertThat(m).startsWith("node.yaml:5:").contains("is not a literal FHIR reference"))
                .anySatisfy(m -> assertThat(m).startsWith("node.yaml:6:")
                        .contains("unknown key 'consent.default'").contains("defaults"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "key not set, no trust store (earlier configs)  | 'plugins: { dir: ./p }'                                      | false | true",
        "key not set, trust store configured            | 'plugins: { trust-store: ./trust }'                          | true  | false",
        "explicitly false                               | 'plugins: { require-signed: false }'                         | false | false",
        "explicitly true with a trust store             | 'plugins: { require-signed: true, trust-store: ./trust }'    | true  | false",
        "no plugins section at all                      | 'policies: {}'                                               | false | true",
    })
    void parse_requireSigned_defaultsToTrueOnceATrustStoreExists(String name, String plugins, boolean required,
            boolean unset) throws Exception {
        NodeConfig config = parse("node: { id: a1 }\n" + plugins + "\n");

        assertThat(config.plugins().requireSigned()).isEqualTo(required);
        assertThat(config.plugins().requireSignedUnset()).isEqualTo(unset);
    }

    @Test
    void parse_requireSignedWithoutATrustStore_isAnError() {
        assertThat(errorsOf("node: { id: a1 }\nplugins: { require-signed: true }\n")).singleElement()
                .satisfies(e -> assertThat(e.format()).contains("TB-CONFIG-011").contains("trust-store"));
    }

    @Test
    void parse_auditCheckpointInterval_isANumberOfEntries() throws Exception {
        assertThat(parse("node: { id: a1 }\naudit: { checkpoint-interval: 50 }\n").audit().checkpointInterval())
                .isEqualTo(50);
        assertThat(parse("node: { id: a1 }\n").audit().checkpointInterval()).isEqualTo(1000);
        assertThat(errorsOf("node: { id: a1 }\naudit: { checkpoint-interval: often }\n")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("checkpoint-interval").contains("often"));
    }
}
