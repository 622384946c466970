package org.twinbridge.testplugins.misbehaving;

import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/** Allocates until the heap is gone on the poison record. */
@Extension
public final class HoggingTwin extends PoisonableTwin {
    public static final String ID = "hogging-twin";

    public HoggingTwin() {
        super(ID);
    }

    @Override
    protected void misbehave() {
        List<long[]> hoard = new ArrayList<>();
        while (true) {
            hoard.add(new long[1 << 20]);
        }
    }
}
