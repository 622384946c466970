package org.twinbridge.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.twinbridge.runtime.deadletter.DeliveryFailure;
import org.twinbridge.sdk.DeliveryLimits;

/** A broken SDK limit is told apart from a plugin's own exception by where it was thrown, never by its text. */
class DeliveryFailureTest {

    @Test
    void aBrokenDeliveryLimit_isAnSdkLimit() {
        Throwable thrown = catchThrowable(() -> DeliveryLimits.checkEmit(DeliveryLimits.MAX_OUTPUTS_PER_DELIVERY));
        assertThat(DeliveryFailures.classify(thrown).kind()).isEqualTo(DeliveryFailure.Kind.SDK_LIMIT);
        Throwable badKey = catchThrowable(() -> DeliveryLimits.checkStateAddress("subject", ""));
        assertThat(DeliveryFailures.classify(badKey).kind()).isEqualTo(DeliveryFailure.Kind.SDK_LIMIT);
    }

    @Test
    void aPluginsOwnException_withTheSameText_isThePlugins() {
        Throwable own = new IllegalStateException("a delivery may emit at most 100 outputs");
        assertThat(DeliveryFailures.classify(own).kind()).isEqualTo(DeliveryFailure.Kind.PLUGIN_EXCEPTION);
    }
}
