package org.twinbridge.sdk.model;

/** The kinds of output a twin may emit, each carried as a FHIR R4 resource of the named type. */
public enum OutputKind {
    /** A score or forecast value, as an {@code Observation}. */
    OBSERVATION("Observation"),
    /** A risk estimate, as a {@code RiskAssessment}. */
    RISK_ASSESSMENT("RiskAssessment"),
    /** An alert that needs attention, as a {@code Flag}. */
    ALERT("Flag");

    private final String resourceType;

    OutputKind(String resourceType) {
        this.resourceType = resourceType;
    }

    /** The FHIR resource type that carries this kind of output. */
    public String resourceType() {
        return resourceType;
    }
}
