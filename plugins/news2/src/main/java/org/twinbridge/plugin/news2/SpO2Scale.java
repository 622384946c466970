package org.twinbridge.plugin.news2;

/**
 * Which SpO2 scale the chart uses. Scale 2 is for patients with a prescribed target saturation of 88-92%,
 * typically in hypercapnic respiratory failure, and is a clinical decision recorded for the patient; use
 * scale 1 in every other case.
 */
public enum SpO2Scale {
    SCALE_1,
    SCALE_2
}
