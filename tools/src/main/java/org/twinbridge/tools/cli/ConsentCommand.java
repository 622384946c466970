package org.twinbridge.tools.cli;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.twinbridge.consent.io.ConsentFiles;
import org.twinbridge.consent.io.ConsentInput;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.consent.ConsentImport;
import org.twinbridge.runtime.erasure.PatientErasure;
import org.twinbridge.runtime.consent.PatientId;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.plugin.PluginHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code twinbridge consent}: the patient consent registry and the right to erasure. */
@Command(name = "consent", mixinStandardHelpOptions = true, description = "Import patient consents; erase a patient.",
        subcommands = {ConsentCommand.Import.class, ConsentCommand.Erase.class})
final class ConsentCommand {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    /** {@code consent import}. */
    @Command(name = "import", mixinStandardHelpOptions = true, description = "Store FHIR Consents (a resource, a Bundle or NDJSON) in the registry, "
            + "as new versions where they changed.")
    static final class Import implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Option(names = "--connector", paramLabel = "ID", description = "The connector whose Patient ids the "
                + "consents' literal patient references use (e.g. Patient/123 of connector ehr).")
        String connector;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Consent files: .json (a resource or a "
                + "Bundle) or .ndjson.")
        List<Path> files = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            if (connector != null && config.connectors().stream().noneMatch(c -> c.id().equals(connector))) {
                throw new TwinBridgeCli.BadInputException("TB-CONSENT-014 --connector " + connector
                        + " is not a connector of this node; configured: " + String.join(", ",
                        config.connectors().stream().map(NodeConfig.Connector::id).toList()));
            }
            List<ConsentInput> inputs = new ConsentFiles(FHIR).read(files);
            try (NodeSession session = NodeSession.withKeys(config)) {
                List<ConsentImport.Imported> imported = session.services().consentAdmin().importAll(inputs, Optional.ofNullable(connector),
                        NodeSession.actor());
                for (ConsentImport.Imported one : imported) {
                    System.out.printf("%s: %s v%d %s (%s)%n", one.location(), one.consentId(), one.version(),
                            one.created() ? "stored" : "unchanged", one.status());
                }
                long stored = imported.stream().filter(ConsentImport.Imported::created).count();
                System.out.printf("%d consent(s) read, %d new version(s) stored%n", imported.size(), stored);
            }
            return TwinBridgeCli.OK;
        }
    }

    /** {@code consent erase}. */
    @Command(name = "erase", mixinStandardHelpOptions = true, description = "Erase everything the node holds about one patient: journal records, "
            + "consents, patient-index links, and each plugin's state and outputs. Run it with the node stopped.")
    static final class Erase implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Option(names = "--patient", required = true, paramLabel = "ID", description = "A business identifier "
                + "system|value (e.g. urn:oid:1.2.36.146.595.217.0.1|12345), or a source-local id "
                + "connector:Patient/id (e.g. ehr:Patient/123).")
        String patient;

        @Override
        public Integer call() throws Exception {
            NodeConfig config = options.load(ConnectorRegistry.discover());
            PatientId id = PatientId.parse(patient).orElseThrow(() -> new TwinBridgeCli.BadInputException(
                    "TB-CONSENT-020 --patient must be system|value (a business identifier) or connector:Patient/id "
                            + "(a source-local id)"));
            PatientErasure.Report report;
            try (NodeSession session = NodeSession.withKeys(config)) {
                PatientErasure erasure = session.services().erasure();
                Optional<String> key = session.services().patientResolver().patientKey(id);
                if (key.isEmpty()) {
                    // Never echo the identifier: it is PHI.
                    throw new TwinBridgeCli.BadInputException("TB-CONSENT-021 no patient is known by that id; "
                            + "nothing was erased");
                }
                // The plugin host starts the plugins (for onErase) but no routes: nothing is ingested or delivered.
                try (PluginHost plugins = session.services().loadPlugins()) {
                    report = erasure.erase(key.get(), plugins.subscribers(), NodeSession.actor());
                }
            }
            System.out.printf("erased: %d journal record(s), %d consent version(s), %d patient-index link(s); "
                    + "%d plugin(s): %d notified, %d state row(s), %d output(s) deleted%n", report.journalRecords(),
                    report.consentVersions(), report.identifierLinks(), report.plugins().plugins(),
                    report.plugins().notified(), report.plugins().stateRows(), report.plugins().outputs());
            System.out.println("audit: consent.erasure recorded");
            if (!report.plugins().failedPlugins().isEmpty()) {
                System.err.println("TB-ERASE-003 the data is erased, but these plugins failed in onErase and may "
                        + "keep derived data outside the state store; ask their vendors: "
                        + String.join(", ", report.plugins().failedPlugins()));
                return TwinBridgeCli.RUNTIME_FAILURE;
            }
            return TwinBridgeCli.OK;
        }

    }
}
