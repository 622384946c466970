package org.twinbridge.testplugins.misbehaving;

import org.pf4j.Extension;

/** Never returns from the poison record (and ignores interruption). */
@Extension
public final class HangingTwin extends PoisonableTwin {
    public static final String ID = "hanging-twin";

    public HangingTwin() {
        super(ID);
    }

    @Override
    protected void misbehave() {
        long spins = 0;
        while (spins >= 0) {
            spins++;
            Thread.onSpinWait();
        }
    }
}
