package org.twinbridge.connector.hl7v2;

import java.time.Clock;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.twinbridge.connector.hl7v2.internal.Hl7Intake;
import org.twinbridge.connector.hl7v2.internal.SenderAllowList;
import org.twinbridge.connector.hl7v2.internal.mapping.MappingOptions;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageMapper;
import org.twinbridge.connector.hl7v2.internal.wire.AckWriter;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.SourceConnector;

/**
 * Receives HL7 v2 messages over MLLP (optionally TLS) with Camel's MLLP component: ORU^R01 results become
 * Observations and DiagnosticReports, ADT A01/A02/A03/A04/A08 and the cancellations A11/A12/A13 Patients and
 * Encounters (with the ward in Encounter.location), and A40 a patient merge. Each message is acknowledged AA only after its records are journalled; AE or AR with an ERR segment otherwise.
 *
 * <p>Each connector gets its own MLLP component instance with {@code logPhi} off. camel-mllp 4.17 still writes
 * payload bytes into a few warnings (partial frames, out-of-band data) whatever {@code logPhi} says, up to
 * {@code logPhiMaxBytes}; that is set to 1, so those lines carry at most one byte.
 */
public final class Hl7v2SourceConnector implements SourceConnector {

    /**
     * The largest frame camel-mllp buffers (its default is 1 GiB); a larger one resets the connection. Frames
     * above {@link Hl7Intake#MAX_FRAME_BYTES} and up to this are answered AR (TB-HL7-005).
     */
    static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

    @Override
    public String type() {
        return "hl7v2";
    }

    @Override
    public Set<String> settingKeys() {
        return Hl7v2Settings.KEYS;
    }

    @Override
    public RoutesBuilder routes(ConnectorContext context) throws ConnectorConfigException {
        Hl7v2Settings settings = Hl7v2Settings.from(context.settings());
        MessageMapper mapper = new MessageMapper(new MappingOptions(context.connectorId(),
                settings.assigningAuthorities(), settings.defaultIdentifierSystem(), settings.zone()));
        Hl7Intake intake = new Hl7Intake(context.connectorId(), settings.messageTypes(),
                new SenderAllowList(settings.senders()), settings.charset(), mapper,
                new AckWriter(Clock.system(settings.zone())), context.monitor(), Clock.system(settings.zone()));
        MllpAckProcessor processor = new MllpAckProcessor(intake, context.journalUri());
        String scheme = "twinbridge-mllp-" + context.connectorId();
        return new RouteBuilder() {
            @Override
            public void configure() {
                register(getContext(), scheme, settings);
                String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
                // maxBufferSize is not copied from the component's configuration, so it goes on the URI.
                from(scheme + "://" + host + ":" + settings.port() + "?maxBufferSize=" + MAX_FRAME_BYTES)
                        .routeId("connector-" + context.connectorId())
                        // A failure is answered with AE/AR by the processor; Camel's handlers would log the body.
                        .errorHandler(noErrorHandler())
                        .process(processor);
            }
        };
    }

    private static void register(CamelContext camel, String scheme, Hl7v2Settings settings) {
        if (camel.hasComponent(scheme) != null) {
            return;
        }
        MllpComponent mllp = new MllpComponent();
        mllp.setLogPhi(false);
        mllp.setLogPhiMaxBytes(1);
        mllp.setBridgeErrorHandler(false);
        MllpConfiguration configuration = new MllpConfiguration();
        configuration.setAutoAck(false);
        configuration.setStringPayload(false);
        configuration.setHl7Headers(false);
        configuration.setValidatePayload(false);
        configuration.setBridgeErrorHandler(false);
        configuration.setMaxConcurrentConsumers(settings.maxConnections());
        configuration.setBindTimeout(5000);
        configuration.setBindRetryInterval(1000);
        // A node restarted after a crash must get its port back at once: without SO_REUSEADDR the old process's
        // connections, left in TIME_WAIT, keep the port from binding for up to a minute and the start fails.
        configuration.setReuseAddress(true);
        settings.tls().ifPresent(tls -> configuration.setSslContextParameters(tls.contextParameters()));
        mllp.setConfiguration(configuration);
        camel.addComponent(scheme, mllp);
    }
}
