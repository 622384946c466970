package org.twinbridge.runtime.dispatch;

import org.twinbridge.runtime.deadletter.DeliveryFailure;
import org.twinbridge.sdk.DeliveryLimits;

/** Turns what a plugin threw into the {@link DeliveryFailure} a parked delivery records. */
final class DeliveryFailures {

    private DeliveryFailures() {
    }

    /** Classifies what a plugin threw; reads only types, never messages. */
    static DeliveryFailure classify(Throwable thrown) {
        if (thrown instanceof IsolatedPluginFailure isolated) {
            return isolated.failure();
        }
        DeliveryFailure.Kind kind;
        if (thrownByTheRuntime(thrown)) {
            kind = DeliveryFailure.Kind.SDK_LIMIT;
        } else if (thrown instanceof LinkageError) {
            kind = DeliveryFailure.Kind.PLUGIN_LINKAGE_ERROR;
        } else if (thrown instanceof RuntimeException) {
            kind = DeliveryFailure.Kind.PLUGIN_EXCEPTION;
        } else {
            kind = DeliveryFailure.Kind.PLUGIN_CHECKED_EXCEPTION;
        }
        return new DeliveryFailure(thrown.getClass().getName(), kind);
    }

    /** The SDK's own checks throw from {@link DeliveryLimits} (and database failures from the state store). */
    private static boolean thrownByTheRuntime(Throwable thrown) {
        StackTraceElement[] stack = thrown.getStackTrace();
        if (stack.length == 0) {
            return false;
        }
        String origin = stack[0].getClassName();
        return origin.equals(JdbcStateStore.class.getName()) || origin.equals(DeliveryLimits.class.getName());
    }
}
