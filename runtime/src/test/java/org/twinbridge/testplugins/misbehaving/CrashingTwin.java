package org.twinbridge.testplugins.misbehaving;

import org.pf4j.Extension;

/** Kills its own JVM on the poison record. */
@Extension
public final class CrashingTwin extends PoisonableTwin {
    public static final String ID = "crashing-twin";

    public CrashingTwin() {
        super(ID);
    }

    @Override
    protected void misbehave() {
        Runtime.getRuntime().halt(42);
    }
}
