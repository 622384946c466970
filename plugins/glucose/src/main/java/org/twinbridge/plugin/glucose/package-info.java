/**
 * The glucose twin: a decision-support demonstration that forecasts a subject's continuous glucose monitor
 * (CGM) readings 30 and 60 minutes ahead, keeps the international consensus CGM metrics (Battelino et al.,
 * Diabetes Care 2019) over a sliding 14-day window, and raises a predicted-hypoglycaemia alert. It is not a
 * medical device and is not validated for clinical use.
 *
 * <p>{@link org.twinbridge.plugin.glucose.OnlineArxModel} (the per-patient forecast model) and
 * {@link org.twinbridge.plugin.glucose.CgmSummary} (the metrics) depend on nothing but the JDK;
 * {@link org.twinbridge.plugin.glucose.GlucoseInputMapper} reads FHIR; {@link
 * org.twinbridge.plugin.glucose.GlucoseTwin} is the pf4j extension that ties them to the SDK.
 */
package org.twinbridge.plugin.glucose;
