package org.twinbridge.policy.model;

import java.util.Set;

/**
 * The HL7 v3 PurposeOfUse codes that policies and node configuration may name
 * (http://terminology.hl7.org/CodeSystem/v3-ActReason, the PurposeOfUse hierarchy).
 */
public final class PurposeOfUse {

    /** The accepted codes. */
    public static final Set<String> CODES = Set.of(
            "TREAT", "ETREAT", "CAREMGT", "CLINTRL", "POPHLTH", "HRESCH", "CLINTRCH", "PUBHLTH", "HOPERAT",
            "HPAYMT", "HMARKT", "PATRQT", "FAMRQT", "PWATRNY", "SYSDEV", "HSYSADMIN", "COVERAGE", "HQUALIMP",
            "HACCRED", "HCOMPL", "HDECD", "HDIRECT", "HLEGAL", "HOUTCOMS", "HPRGRP", "TRAIN");

    private PurposeOfUse() {
    }

    public static boolean isKnown(String code) {
        return CODES.contains(code);
    }
}
