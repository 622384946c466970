/**
 * The NEWS2 early-warning twin: a decision-support demonstration of the Royal College of Physicians'
 * National Early Warning Score 2 (2017). It is not a medical device and is not validated for clinical use.
 *
 * <p>{@link org.twinbridge.plugin.news2.News2Score} is the chart and depends on nothing but the JDK;
 * {@link org.twinbridge.plugin.news2.LoincVitalSignMapper} reads FHIR Observations;
 * {@link org.twinbridge.plugin.news2.News2Twin} is the pf4j extension that ties them to the SDK.
 */
package org.twinbridge.plugin.news2;
