package org.twinbridge.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.twinbridge.sdk.error.ErrorCatalogue;
import org.twinbridge.sdk.error.ErrorCode;

/**
 * Holds the error catalogue ({@code org.twinbridge.sdk.error}), the code literals in every module's main sources and
 * resources, and {@code docs/errors.md} together: a code printed anywhere is defined once, a defined code is printed
 * somewhere, and the doc is the catalogue's rendering. Lives in tools because tools sees the whole reactor.
 */
class ErrorCatalogueTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOC = ROOT.resolve("docs/errors.md");
    private static final Path CATALOGUE = ROOT.resolve("sdk/src/main/java/org/twinbridge/sdk/error");
    private static final Pattern LITERAL = Pattern.compile("TB-[A-Z0-9]+(?:-[A-Z][A-Z0-9]*)*-[0-9]{3}");
    private static final Pattern WELL_FORMED = Pattern.compile("TB-[A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)?-[0-9]{3}");
    private static final String REGENERATE = "./mvnw -B -o -q -pl tools -am verify -DskipITs -Dtest=ErrorCatalogueTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dtwinbridge.errors.regenerate=true";

    /** One heading per area; a new area needs a title here, so the doc never shows a bare abbreviation. */
    private static final Map<String, String> AREAS = Map.ofEntries(
            Map.entry("API", "Admin API"), Map.entry("ASSEMBLY", "Assembling the node's services"), Map.entry("AUDIT", "Audit trail"), Map.entry("BENCH", "Bench"),
            Map.entry("FED", "Federation: site identity and trust, signed tasks, disclosure control"),
            Map.entry("CLI", "Command line"), Map.entry("CONN-FHIR", "FHIR connector"),
            Map.entry("CONFIG", "Configuration"), Map.entry("CONSENT", "Consent"),
            Map.entry("CRYPTO", "Record encryption"), Map.entry("CSVLAB", "CSV lab connector template (a connector plugin)"), Map.entry("DEADLETTER", "Dead letters"),
            Map.entry("DEMO", "Demo"), Map.entry("DISPATCH", "Dispatch to plugins"),
            Map.entry("EMBED-FHIR", "Embedded FHIR server (demo, bench and tests)"),
            Map.entry("EMBED-MQTT", "Embedded MQTT broker (demo, bench and tests)"),
            Map.entry("ENFORCE", "Policy enforcement"), Map.entry("ERASE", "Erasure"),
            Map.entry("FILE", "File-drop connector"), Map.entry("GLUCOSE", "Glucose twin plugin"),
            Map.entry("HL7", "HL7 v2 (MLLP) connector"), Map.entry("IMPLANT", "Implant twin plugin"), Map.entry("JOURNAL", "Journal"),
            Map.entry("KC", "Keycloak sync"), Map.entry("KEYS", "Node keys"), Map.entry("LOAD", "Load generator"),
            Map.entry("MQTT", "MQTT connector"), Map.entry("NEWS2", "NEWS2 twin plugin"),
            Map.entry("OBSERVE", "Health and metrics"), Map.entry("OMH", "Open mHealth mapping"),
            Map.entry("PAYLOAD", "FHIR payloads"), Map.entry("PLUGIN", "Plugin loading"),
            Map.entry("POLICY", "Policies"), Map.entry("RUN", "Running a command"),
            Map.entry("SIGN", "Plugin signatures"), Map.entry("SINK", "Sinks"),
            Map.entry("STATE", "Plugin state store"), Map.entry("STORAGE", "Storage"),
            Map.entry("STORE", "Connector checkpoints"), Map.entry("TUMOUR", "Tumour twin plugin"),
            Map.entry("TWIN", "Running one twin plugin"), Map.entry("WARD", "Ward twin plugin"), Map.entry("YAML", "YAML files"));

    @Test
    void everyCodeInMainSources_isInTheCatalogue() throws IOException {
        Map<String, Set<String>> used = codesInMainSources();
        Map<String, Set<String>> undefined = new TreeMap<>(used);
        undefined.keySet().removeIf(code -> ErrorCatalogue.find(code).isPresent());

        assertThat(undefined).as("codes printed but not defined in org.twinbridge.sdk.error (add each to the "
                + "enum of its area, with its meaning and fix, then regenerate docs/errors.md: %s)", REGENERATE)
                .isEmpty();
    }

    @Test
    void everyCatalogueEntry_isUsedInMainSources() throws IOException {
        Map<String, Set<String>> sites = codesInMainSources();
        assertThat(sites.values().stream().flatMap(Set::stream))
                .as("the catalogue itself does not count as a use").noneMatch(f -> f.startsWith("sdk/src/main/java/org/"
                        + "twinbridge/sdk/error/"));
        Set<String> used = sites.keySet();

        assertThat(ErrorCatalogue.all().stream().map(ErrorCode::code).filter(code -> !used.contains(code)))
                .as("catalogue entries no main source prints (remove them, or use them)").isEmpty();
    }

    @Test
    void catalogueCodes_areWellFormedUniqueAndDocumented() {
        Set<String> seen = new HashSet<>();
        for (ErrorCode e : ErrorCatalogue.all()) {
            assertThat(e.code()).as("code of %s", e).matches(WELL_FORMED);
            assertThat(seen.add(e.code())).as("%s is defined twice", e.code()).isTrue();
            assertThat(((Enum<?>) e).name()).as("constant name of %s", e.code())
                    .isEqualTo(e.code().substring(3).replace('-', '_'));
            assertThat(AREAS).as("docs/errors.md heading for area %s", e.area()).containsKey(e.area());
            for (String sentence : List.of(e.meaning(), e.fix())) {
                assertThat(sentence).as("meaning and fix of %s", e.code())
                        .isNotBlank().doesNotContain("\n").endsWith(".").hasSizeLessThan(300);
            }
        }
        assertThat(seen).hasSizeGreaterThan(250);
    }

    @Test
    void errorsDoc_isTheCatalogueRendered() throws IOException {
        String rendered = render();
        if (Boolean.getBoolean("twinbridge.errors.regenerate")) {
            Files.writeString(DOC, rendered, StandardCharsets.UTF_8);
        }
        String onDisk = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";

        assertThat(onDisk).as("docs/errors.md differs from the error catalogue; regenerate it with: %s", REGENERATE)
                .isEqualTo(rendered);
    }

    /** Code to the files printing it, over every module's src/main (java and resources), minus the catalogue. */
    private static Map<String, Set<String>> codesInMainSources() throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                boolean skip = name.equals("target") || name.startsWith(".") && !dir.equals(ROOT)
                        || name.equals("node_modules") || dir.equals(CATALOGUE);
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String relative = ROOT.relativize(file).toString().replace('\\', '/');
                if (relative.contains("/src/main/") && attrs.size() < 4_000_000) {
                    // ISO-8859-1 reads any bytes; the codes are ASCII.
                    Matcher m = LITERAL.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                    while (m.find()) {
                        used.computeIfAbsent(m.group(), k -> new TreeSet<>()).add(relative);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return used;
    }

    private static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Error codes\n\n")
                .append("<!-- Generated from the error catalogue, org.twinbridge.sdk.error (sdk module). Do not edit "
                        + "by hand; regenerate with:\n     ").append(REGENERATE).append(" -->\n\n")
                .append(INTRO);
        Map<String, List<ErrorCode>> byArea = ErrorCatalogue.all().stream()
                .collect(Collectors.groupingBy(ErrorCode::area, TreeMap::new, Collectors.toList()));
        md.append("Areas: ").append(byArea.keySet().stream()
                .map(area -> "[" + area + "](#tb-" + area.toLowerCase(java.util.Locale.ROOT) + ")")
                .collect(Collectors.joining(" · "))).append("\n");
        byArea.forEach((area, codes) -> {
            md.append("\n## TB-").append(area).append("\n\n").append(AREAS.get(area)).append(".\n\n")
                    .append("| Code | Meaning | What to do |\n|---|---|---|\n");
            codes.forEach(e -> md.append("| `").append(e.code()).append("` | ").append(cell(e.meaning()))
                    .append(" | ").append(cell(e.fix())).append(" |\n"));
        });
        return md.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static final String INTRO = """
            Every message TwinBridge prints about a failure starts with a stable code, `TB-<AREA>-NNN`: on the \
            command line, in the node log, in admin API problem responses (`code`), in HL7 v2 acknowledgements \
            (ERR, or MSA-3 before v2.7) and in connector dead letters. The code names the kind of failure; the \
            rest of the message gives the offending value (never patient data) and what is allowed. A few codes \
            label information or warning lines in the log rather than failures; their meaning says so.

            Search this page for the code you see. Each code has one meaning: several places may print the same \
            code only when they report the same kind of failure, with a different detail.

            The codes are defined once, in `org.twinbridge.sdk.error` in the sdk module (one enum per group of \
            areas, all listed by `ErrorCatalogue.all()`), and this page is generated from them. A test in \
            `tools` fails when a main source prints a code the catalogue lacks, when the catalogue holds a code \
            nothing prints, or when this page is out of date.

            ## Renumbered codes

            Some codes used to be printed for two different errors. The error listed first kept its code; the \
            other got the next free number in its area:

            - `TB-AUDIT-006` stays "a connector lifecycle event could not be recorded"; rendering an audit entry \
            as NDJSON is now `TB-AUDIT-007`, and an admin API call that could not be recorded is `TB-AUDIT-008`.
            - `TB-AUDIT-015` stays "checkpoint signature not valid (forged)"; a checkpoint naming a signing key \
            the keystore does not hold is now `TB-AUDIT-022`.
            - `TB-CRYPTO-001` stays "AES-GCM encryption failed"; a decryption failure other than failed \
            authentication is now `TB-CRYPTO-004`.
            - `TB-ENFORCE-009` stays "unsupported generalisation"; failing to create an empty element to project \
            into is now `TB-ENFORCE-010`.
            - `TB-KEYS-015` stays "unknown key family"; a text that is not a key id is now `TB-KEYS-017`.
            - `TB-NEWS2-009` stays "negative total in a score history"; a history over its capacity is now \
            `TB-NEWS2-012`.
            - `TB-POLICY-012` stays "no file declares the policy set"; a second `policy-set` header is now \
            `TB-POLICY-015`.
            - `TB-SIGN-012` stays "several private keys and no --alias"; an `--alias` entry that is not a private \
            key is now `TB-SIGN-015`.
            - `TB-CONN-001` is gone: it was never printed, only attached to a connector's position in the \
            configuration, and the error reported at that position is `TB-CONFIG-010`.

            """;
}
