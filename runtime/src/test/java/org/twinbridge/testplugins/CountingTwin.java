package org.twinbridge.testplugins;

import org.pf4j.Extension;

/** The counting test plugin the reliability node's policy lets see every Observation and DiagnosticReport. */
@Extension
public final class CountingTwin extends DeliveryCountingTwin {

    public static final String ID = "counting-twin";

    public CountingTwin() {
        super(ID);
    }
}
