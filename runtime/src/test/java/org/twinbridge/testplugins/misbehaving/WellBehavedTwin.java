package org.twinbridge.testplugins.misbehaving;

import org.pf4j.Extension;

/** Counts every record, the poison one included. */
@Extension
public final class WellBehavedTwin extends PoisonableTwin {
    public static final String ID = "well-behaved-twin";

    public WellBehavedTwin() {
        super(ID);
    }

    @Override
    protected void misbehave() {
    }
}
