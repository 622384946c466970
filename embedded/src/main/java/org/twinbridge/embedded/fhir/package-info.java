/**
 * An in-process FHIR R4 server for the demo and for tests: {@link org.twinbridge.embedded.fhir.EmbeddedFhirServer}
 * serves an {@link org.twinbridge.embedded.fhir.InMemoryFhirStore} over HTTP on 127.0.0.1, and
 * {@link org.twinbridge.embedded.fhir.SyntheaSeeder} fills the store from Synthea transaction Bundles.
 *
 * <p>It is a stand-in for a hospital FHIR endpoint, not a FHIR server for production: no persistence, no
 * authentication, a handful of search parameters, and it binds the loopback interface only.
 */
package org.twinbridge.embedded.fhir;
