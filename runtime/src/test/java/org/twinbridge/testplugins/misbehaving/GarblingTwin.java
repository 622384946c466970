package org.twinbridge.testplugins.misbehaving;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import org.pf4j.Extension;

/** Writes garbage to its process's real stdout (the protocol's channel) on the poison record. */
@Extension
public final class GarblingTwin extends PoisonableTwin {
    public static final String ID = "garbling-twin";

    public GarblingTwin() {
        super(ID);
    }

    @Override
    protected void misbehave() throws Exception {
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        out.write("\u007f\u00ff\u00ff\u00ffgarbage where a frame should be".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        Thread.sleep(60_000);
    }
}
