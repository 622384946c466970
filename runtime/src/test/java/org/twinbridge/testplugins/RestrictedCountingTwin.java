package org.twinbridge.testplugins;

import org.pf4j.Extension;

/** The counting test plugin the reliability node's policy lets see heart rates only. */
@Extension
public final class RestrictedCountingTwin extends DeliveryCountingTwin {

    public static final String ID = "restricted-twin";

    public RestrictedCountingTwin() {
        super(ID);
    }
}
