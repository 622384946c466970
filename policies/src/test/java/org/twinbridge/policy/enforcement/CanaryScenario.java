package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * One random case for the canary property: a resource with unique random strings ("canaries") planted in random
 * elements, a random allow-list drawn from a pool of paths, and random further obligations. Each slot records
 * the path of the element its canary lands in, so the test can tell which canaries the allow-list covers.
 *
 * @param resourceType Observation or Patient
 * @param plantings the slot and canary of each planting, in planting order
 * @param allowed the allow-list paths
 * @param obligations every obligation, the allow-list included
 */
record CanaryScenario(String resourceType, List<Planting> plantings, Set<String> allowed,
                      List<Obligation> obligations) {

    /** One canary in one element. */
    record Planting(Slot slot, String canary) {
        @Override
        public String toString() {
            return slot.path() + "=" + canary;
        }
    }

    /** A place a canary can go, and the element path it ends up at. */
    record Slot(String path, BiConsumer<Resource, String> plant) {
        @Override
        public String toString() {
            return path;
        }
    }

    private static final List<Slot> OBSERVATION_SLOTS = List.of(
            slot("identifier.value", (o, c) -> o.addIdentifier().setSystem("urn:oid:1.2.3").setValue(c)),
            slot("identifier.type.text", (o, c) -> o.addIdentifier().setValue("x").getType().setText(c)),
            slot("note.text", (o, c) -> o.addNote(new Annotation().setText(c))),
            slot("performer.display", (o, c) -> o.addPerformer(new Reference("Practitioner/1").setDisplay(c))),
            slot("subject.display", (o, c) -> o.getSubject().setReference("Patient/1").setDisplay(c)),
            slot("subject.identifier.value", (o, c) -> o.getSubject().getIdentifier().setValue(c)),
            slot("code.text", (o, c) -> o.getCode().setText(c)),
            slot("code.coding.display", (o, c) -> o.getCode().addCoding(new Coding("http://loinc.org", "1-8", c))),
            slot("code.coding.extension.value[x]", (o, c) -> o.getCode().addCoding()
                    .addExtension(new Extension("http://example.org/c", new StringType(c)))),
            slot("value[x]", (o, c) -> o.setValue(new StringType(c))),
            slot("method.text", (o, c) -> o.getMethod().setText(c)),
            slot("category.text", (o, c) -> o.addCategory().setText(c)),
            slot("interpretation.coding.display", (o, c) -> o.addInterpretation().addCoding().setDisplay(c)),
            slot("referenceRange.text", (o, c) -> o.addReferenceRange().setText(c)),
            slot("component.code.text", (o, c) -> o.addComponent().getCode().setText(c)),
            slot("component.value[x]", (o, c) -> o.addComponent().setValue(new StringType(c))),
            slot("component.value[x].extension.value[x]", (o, c) -> {
                Quantity value = new Quantity(7);
                value.addExtension(new Extension("http://example.org/q", new StringType(c)));
                o.addComponent().setValue(value);
            }),
            slot("component.extension.value[x]", (o, c) -> o.addComponent()
                    .addExtension(new Extension("http://example.org/k", new StringType(c)))),
            slot("component.interpretation.text", (o, c) -> o.addComponent().addInterpretation().setText(c)),
            slot("extension.value[x]", (o, c) -> o.addExtension(new Extension("http://example.org/r",
                    new StringType(c)))),
            slot("modifierExtension.value[x]", (o, c) -> o.addModifierExtension(
                    new Extension("http://example.org/m", new StringType(c)))),
            slot("text.div", (o, c) -> o.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
                    .setDivAsString("<div>" + c + "</div>")),
            slot("contained.name.family", (o, c) -> o.addContained(
                    new Patient().addName(new HumanName().setFamily(c)).setId("p1"))),
            slot("meta.tag.code", (o, c) -> o.getMeta().addTag().setSystem("http://example.org/t").setCode(c)));

    private static final List<Slot> PATIENT_SLOTS = List.of(
            patient("name.family", (p, c) -> p.addName().setFamily(c)),
            patient("name.given", (p, c) -> p.addName().addGiven(c)),
            patient("name.text", (p, c) -> p.addName().setText(c)),
            patient("name.extension.value[x]", (p, c) -> p.addName().setUse(HumanName.NameUse.OFFICIAL)
                    .addExtension(new Extension("http://example.org/n", new StringType(c)))),
            patient("identifier.value", (p, c) -> p.addIdentifier().setSystem("urn:oid:1").setValue(c)),
            patient("identifier.type.text", (p, c) -> p.addIdentifier().setValue("1").getType().setText(c)),
            patient("identifier.assigner.display", (p, c) -> p.addIdentifier(new Identifier().setValue("2")
                    .setAssigner(new Reference("Organization/1").setDisplay(c)))),
            patient("telecom.value", (p, c) -> p.addTelecom(new ContactPoint()
                    .setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(c))),
            patient("address.line", (p, c) -> p.addAddress().addLine(c).setState("MA")),
            patient("address.city", (p, c) -> p.addAddress().setCity(c).setState("MA")),
            patient("address.postalCode", (p, c) -> p.addAddress().setPostalCode(c)),
            patient("address.text", (p, c) -> p.addAddress().setText(c)),
            patient("contact.name.family", (p, c) -> p.addContact().getName().setFamily(c)),
            patient("contact.telecom.value", (p, c) -> p.addContact().addTelecom().setValue(c)),
            patient("communication.language.text", (p, c) -> p.addCommunication().getLanguage().setText(c)),
            patient("maritalStatus.text", (p, c) -> p.setMaritalStatus(new CodeableConcept().setText(c))),
            patient("photo.title", (p, c) -> p.addPhoto(new Attachment().setTitle(c))),
            patient("generalPractitioner.display", (p, c) -> p.addGeneralPractitioner(
                    new Reference("Practitioner/2").setDisplay(c))),
            patient("birthDate.extension.value[x]", (p, c) -> p.setBirthDateElement(new DateType("1950-02-03"))
                    .getBirthDateElement().addExtension(new Extension("http://example.org/b", new StringType(c)))),
            patient("extension.value[x]", (p, c) -> p.addExtension(new Extension("http://example.org/r",
                    new StringType(c)))),
            patient("text.div", (p, c) -> p.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
                    .setDivAsString("<div>" + c + "</div>")),
            patient("meta.tag.display", (p, c) -> p.getMeta().addTag().setCode("t").setDisplay(c)));

    private static final List<String> OBSERVATION_POOL = List.of("code", "code.coding", "code.coding.code",
            "code.text", "status", "value[x]", "subject", "subject.reference", "effective[x]", "component",
            "component.code", "component.value[x]", "component.extension", "note", "performer", "identifier",
            "identifier.system", "extension", "category", "interpretation", "method", "referenceRange", "issued");

    private static final List<String> PATIENT_POOL = List.of("name", "name.family", "name.given", "name.use",
            "gender", "birthDate", "telecom", "telecom.system", "address", "address.city", "address.postalCode",
            "address.state", "identifier", "identifier.type", "identifier.value", "extension", "contact",
            "contact.name.family", "contact.relationship", "communication", "maritalStatus", "generalPractitioner",
            "managingOrganization", "photo", "name.extension");

    private static Slot slot(String path, BiConsumer<Observation, String> plant) {
        return new Slot(path, (resource, canary) -> plant.accept((Observation) resource, canary));
    }

    private static Slot patient(String path, BiConsumer<Patient, String> plant) {
        return new Slot(path, (resource, canary) -> plant.accept((Patient) resource, canary));
    }

    static CanaryScenario random(Random random) {
        boolean observation = random.nextBoolean();
        List<Slot> slots = observation ? OBSERVATION_SLOTS : PATIENT_SLOTS;
        List<String> pool = observation ? OBSERVATION_POOL : PATIENT_POOL;
        String type = observation ? "Observation" : "Patient";

        List<Planting> plantings = new ArrayList<>();
        int count = 1 + random.nextInt(12);
        for (int i = 0; i < count; i++) {
            plantings.add(new Planting(slots.get(random.nextInt(slots.size())), canary(random, i)));
        }
        List<String> shuffled = new ArrayList<>(pool);
        Collections.shuffle(shuffled, random);
        Set<String> allowed = new TreeSet<>(shuffled.subList(0, random.nextInt(pool.size() + 1)));

        List<Obligation> obligations = new ArrayList<>();
        obligations.add(new Obligation.AllowElements(type, allowed));
        if (random.nextBoolean()) {
            obligations.add(new Obligation.Pseudonymise());
        }
        if (random.nextBoolean()) {
            obligations.add(new Obligation.ShiftDates(12 + random.nextInt(354)));
        }
        if (random.nextBoolean()) {
            obligations.add(new Obligation.Redact(Set.of(pool.get(random.nextInt(pool.size())))));
        }
        if (random.nextBoolean()) {
            obligations.add(new Obligation.Generalise(Map.of(pool.get(random.nextInt(pool.size())),
                    new Obligation.Generalise.Prefix(random.nextInt(4)))));
        }
        Collections.shuffle(obligations, random);
        return new CanaryScenario(type, plantings, allowed, obligations);
    }

    /** Upper-case letters only, so no pseudonym (lower-case hex) or marker can contain one by chance. */
    private static String canary(Random random, int index) {
        StringBuilder canary = new StringBuilder("QZ").append((char) ('A' + index));
        for (int i = 0; i < 12; i++) {
            canary.append((char) ('A' + random.nextInt(26)));
        }
        return canary.toString();
    }

    Resource build() {
        Resource resource = resourceType.equals("Observation") ? new Observation()
                .setStatus(Observation.ObservationStatus.FINAL).setEffective(new DateTimeType("2024-05-06T07:08:09Z"))
                : new Patient().setBirthDateElement(new DateType("1950-02-03"));
        resource.setId("source-1");
        for (Planting planting : plantings) {
            planting.slot().plant().accept(resource, planting.canary());
        }
        return resource;
    }

    /**
     * Whether the allow-list lets a planting through. Every canary lands in free text (a string), except those in
     * an identifier's value, which is structure. Free text passes only where a path names it exactly; structure
     * passes where some allowed path is a prefix of the planting's path and no extension lies between that
     * allowed element and the canary (extensions need a path of their own).
     */
    boolean covers(Planting planting) {
        String path = planting.slot().path();
        if (allowed.contains(path)) {
            return true;
        }
        if (!path.endsWith("identifier.value")) {
            return false;
        }
        List<String> segments = List.of(path.split("\\."));
        for (String allowedPath : allowed) {
            List<String> prefix = List.of(allowedPath.split("\\."));
            if (segments.size() >= prefix.size() && segments.subList(0, prefix.size()).equals(prefix)
                    && segments.subList(prefix.size(), segments.size()).stream()
                            .noneMatch(s -> s.equals("extension") || s.equals("modifierExtension"))) {
                return true;
            }
        }
        return false;
    }
}
