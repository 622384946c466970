package org.twinbridge.sdk.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.twinbridge.sdk.TwinContext;
import org.twinbridge.sdk.TwinModel;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.OutputKind;
import org.twinbridge.sdk.model.PluginManifest;
import org.junit.jupiter.api.Test;

/**
 * An item of a batch reads what a batch of that item alone would have carried: its subject's state and the
 * plugin-wide subjects, with the earlier items' kept writes; never another patient's, whoever shares the batch.
 */
class BatchRunnerTest {

    /** Counts per subject and plugin-wide, and notes what it could read of subject "a" while on another. */
    private static final class Counting implements TwinModel {
        @Override
        public PluginManifest manifest() {
            return new PluginManifest("counting", "1.0.0", "test", "counts",
                    new DataRequest(Set.of("Observation"), Set.of(), Set.of("TREAT")), List.of(OutputKind.OBSERVATION));
        }

        @Override
        public void onRecord(AuthorisedRecord record, TwinContext context) {
            String subject = record.subject();
            int mine = Integer.parseInt(context.state().get(subject, "n").orElse("0"));
            context.state().put(subject, "n", Integer.toString(mine + 1));
            int all = Integer.parseInt(context.state().get("counting.all", "n").orElse("0"));
            context.state().put("counting.all", "n", Integer.toString(all + 1));
            if (!subject.equals("a")) {
                context.state().put(subject, "saw-a", context.state().get("a", "n").orElse("nothing"));
            }
            if (record.receiptId().equals("fail")) {
                throw new IllegalStateException("fails");
            }
        }

        @Override
        public void onErase(String subject, TwinContext context) {
        }
    }

    private static Messages.Deliver deliver(String receipt, String subject) {
        return new Messages.Deliver(receipt, subject, "vital-signs", Optional.empty(), "sha256:p",
                "{\"resourceType\":\"Observation\"}");
    }

    @Test
    void item_seesItsSubjectAndThePluginWideState_withEarlierItemsWrites_butNoOtherPatients() {
        Messages.Batch batch = new Messages.Batch(1, 0L, List.of(deliver("1", "a"), deliver("2", "b"),
                deliver("3", "a"), deliver("fail", "a"), deliver("5", "a")),
                Map.of("a", Map.of("n", "10"), "b", Map.of(), "counting.all", Map.of("n", "100")));

        List<Messages.Outcome> outcomes = new BatchRunner(new Counting(), "counting").run(batch).outcomes();

        assertThat(outcomes).as("up to and including the failed item").hasSize(4);
        assertThat(outcomes.get(3)).isInstanceOf(Messages.Failed.class);
        assertThat(((Messages.Done) outcomes.get(1)).changes()).containsExactly(
                new Messages.Change("b", "n", Optional.of("1")),
                new Messages.Change("counting.all", "n", Optional.of("102")),
                new Messages.Change("b", "saw-a", Optional.of("nothing")));
        assertThat(((Messages.Done) outcomes.get(2)).changes()).as("a's count after the first item's write")
                .containsExactly(new Messages.Change("a", "n", Optional.of("12")),
                        new Messages.Change("counting.all", "n", Optional.of("103")));
    }
}
