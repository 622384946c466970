/**
 * The tumour-response twin: a decision-support demonstration that fits a Gompertz tumour-growth model with a
 * Norton-Simon chemotherapy term to a subject's serial tumour measurements, simulates candidate regimens and
 * projects each one's RECIST 1.1 response category. It is not a medical device and is not validated for
 * clinical use.
 *
 * <p>{@link org.twinbridge.plugin.tumour.Rk4}, {@link org.twinbridge.plugin.tumour.GompertzNortonSimon},
 * {@link org.twinbridge.plugin.tumour.GompertzFit} and {@link org.twinbridge.plugin.tumour.RecistCategory}
 * depend on nothing but the JDK; {@link org.twinbridge.plugin.tumour.TumourInputMapper} reads FHIR;
 * {@link org.twinbridge.plugin.tumour.TumourTwin} is the pf4j extension that ties them to the SDK.
 */
package org.twinbridge.plugin.tumour;
