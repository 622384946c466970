package org.twinbridge.connector.hl7v2;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mllp.MllpConstants;
import org.twinbridge.connector.hl7v2.internal.Hl7Intake;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * The MLLP route's processor: hands the frame to {@link Hl7Intake}, which journals each message through the
 * node's journal endpoint (returning only after the commit), and sets the acknowledgement it returns as the
 * exchange's MLLP acknowledgement. The MLLP consumer writes that back on the same connection only after this
 * processor returns, so an AA never precedes the commit. It never throws: a failure is an AE or AR.
 */
final class MllpAckProcessor implements Processor {

    private final Hl7Intake intake;
    private final String journalUri;
    private volatile ProducerTemplate journal;

    MllpAckProcessor(Hl7Intake intake, String journalUri) {
        this.intake = intake;
        this.journalUri = journalUri;
    }

    @Override
    public void process(Exchange exchange) {
        if (journal == null) {
            journal = exchange.getContext().createProducerTemplate();
        }
        byte[] frame = exchange.getMessage().getBody(byte[].class);
        byte[] ack = intake.handle(frame == null ? new byte[0] : frame, this::commit);
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, ack);
        // The frame may hold patient data; nothing after this point needs it.
        exchange.getMessage().setBody(null);
    }

    private int commit(List<CanonicalRecord> records) throws Exception {
        Exchange result = journal.request(journalUri, e -> e.getMessage().setBody(records));
        if (result.getException() != null) {
            throw result.getException();
        }
        Integer added = result.getMessage().getHeader(ConnectorContext.JOURNALLED_HEADER, Integer.class);
        return added == null ? 0 : added;
    }
}
