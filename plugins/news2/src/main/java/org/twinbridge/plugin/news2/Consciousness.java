package org.twinbridge.plugin.news2;

/**
 * A level on the ACVPU scale. NEWS2 scores only {@link #ALERT} as 0; every other level scores 3.
 * {@link #CONFUSION} means <em>new</em> confusion: long-standing confusion is charted as the patient's
 * baseline, which is why a general "confusional state" code is not mapped to it.
 */
public enum Consciousness {
    ALERT,
    CONFUSION,
    VOICE,
    PAIN,
    UNRESPONSIVE
}
