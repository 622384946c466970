package org.twinbridge.consent.model;

import java.util.Map;
import java.util.Optional;

/**
 * The HL7 v3 PurposeOfUse hierarchy (http://terminology.hl7.org/CodeSystem/v3-ActReason, is-a), so that a
 * consent about treatment also covers emergency treatment, and research covers clinical trial research.
 * Codes outside the hierarchy are only equal to themselves.
 */
public final class PurposeHierarchy {

    /** The code system of purposes of use. */
    public static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    private static final Map<String, String> PARENT = Map.ofEntries(
            Map.entry("CAREMGT", "HOPERAT"), Map.entry("DONAT", "HOPERAT"), Map.entry("FRAUD", "HOPERAT"),
            Map.entry("GOV", "HOPERAT"), Map.entry("HACCRED", "HOPERAT"), Map.entry("HCOMPL", "HOPERAT"),
            Map.entry("HDECD", "HOPERAT"), Map.entry("HDIRECT", "HOPERAT"), Map.entry("HDM", "HOPERAT"),
            Map.entry("HLEGAL", "HOPERAT"), Map.entry("HOUTCOMS", "HOPERAT"), Map.entry("HPRGRP", "HOPERAT"),
            Map.entry("HQUALIMP", "HOPERAT"), Map.entry("HSYSADMIN", "HOPERAT"), Map.entry("LABELING", "HSYSADMIN"),
            Map.entry("METAMGT", "HSYSADMIN"), Map.entry("MEMADMIN", "HOPERAT"), Map.entry("MILCDM", "HOPERAT"),
            Map.entry("PATADMIN", "HOPERAT"), Map.entry("PATSFTY", "HOPERAT"), Map.entry("PERFMSR", "HOPERAT"),
            Map.entry("RECORDMGT", "HOPERAT"), Map.entry("SYSDEV", "HOPERAT"), Map.entry("HTEST", "SYSDEV"),
            Map.entry("TRAIN", "HOPERAT"),
            Map.entry("CLMATTCH", "HPAYMT"), Map.entry("COVAUTH", "HPAYMT"), Map.entry("COVERAGE", "HPAYMT"),
            Map.entry("ELIGDTRM", "COVERAGE"), Map.entry("ELIGVER", "COVERAGE"), Map.entry("ENROLLM", "COVERAGE"),
            Map.entry("MILDCRG", "COVERAGE"), Map.entry("REMITADV", "HPAYMT"),
            Map.entry("BIORCH", "HRESCH"), Map.entry("CLINTRCH", "HRESCH"), Map.entry("CLINTRCHNPC", "CLINTRCH"),
            Map.entry("CLINTRCHPC", "CLINTRCH"), Map.entry("PRECLINTRCH", "CLINTRCH"), Map.entry("DSRCH", "HRESCH"),
            Map.entry("POARCH", "HRESCH"), Map.entry("TRANSRCH", "HRESCH"),
            Map.entry("FAMRQT", "PATRQT"), Map.entry("PWATRNY", "PATRQT"), Map.entry("SUPNWK", "PATRQT"),
            Map.entry("DISASTER", "PUBHLTH"), Map.entry("THREAT", "PUBHLTH"),
            Map.entry("CLINTRL", "TREAT"), Map.entry("COC", "TREAT"), Map.entry("ETREAT", "TREAT"),
            Map.entry("BTG", "ETREAT"), Map.entry("ERTREAT", "ETREAT"), Map.entry("POPHLTH", "TREAT"));

    private PurposeHierarchy() {
    }

    /** True if {@code specific} is {@code general} or one of its descendants. */
    public static boolean subsumes(String general, String specific) {
        for (String code = specific; code != null; code = PARENT.get(code)) {
            if (code.equals(general)) {
                return true;
            }
        }
        return false;
    }

    /** The parent of a purpose, if it has one in the hierarchy. */
    public static Optional<String> parent(String purpose) {
        return Optional.ofNullable(PARENT.get(purpose));
    }
}
