package org.twinbridge.connector.fhir;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.connector.support.FhirPayloads;
import org.twinbridge.connector.support.PayloadException;
import org.twinbridge.sdk.connector.DeadLetter;
import org.twinbridge.sdk.model.CanonicalRecord;

/**
 * Reads one page of a search for one resource type: its records, the entries that can never become records
 * (dead letters, each with its own JSON as payload), its {@code next} link and its newest {@code lastUpdated}.
 * Each entry is parsed on its own, so one invalid entry does not cost the rest of the page. Reasons name the
 * rule, the entry number and resource type names, never content. Thread-safe.
 */
final class SearchPageReader {

    static final String NOT_A_BUNDLE = "TB-CONN-FHIR-020";
    static final String WRONG_TYPE = "TB-CONN-FHIR-021";
    private static final Pattern TYPE_NAME = Pattern.compile("[A-Z][A-Za-z]{0,63}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9.+\\-]{1,64}/[A-Za-z0-9.+\\-]{1,64}");
    private final String connectorId;
    private final FhirPayloads payloads = new FhirPayloads(FhirContext.forR4Cached());

    /** What a page held. */
    sealed interface Result {
        /**
         * A readable searchset page.
         *
         * @param records  one per entry of the searched type
         * @param rejected entries that are not valid FHIR or not of the searched type
         * @param next     the {@code next} link, if any
         * @param newest   the newest {@code meta.lastUpdated} among the records
         */
        record Page(List<CanonicalRecord> records, List<DeadLetter> rejected, Optional<String> next,
                Optional<Instant> newest) implements Result {
            public Page {
                records = List.copyOf(records);
                rejected = List.copyOf(rejected);
            }
        }

        /** Not a searchset at all (not JSON, not FHIR, not a Bundle): the whole body is dead-lettered. */
        record Unreadable(DeadLetter letter) implements Result {
        }
    }

    SearchPageReader(String connectorId) {
        this.connectorId = connectorId;
    }

    /**
     * @param type        the searched resource type
     * @param body        the answer's body
     * @param contentType the answer's {@code Content-Type}, if any, named in the reason when the body is not JSON
     */
    Result read(String type, byte[] body, Optional<String> contentType) {
        JsonNode bundle;
        try {
            bundle = payloads.readTree(body, 0);
        } catch (PayloadException e) {
            String media = contentType.map(c -> c.split(";", 2)[0].strip()).filter(c -> MEDIA_TYPE.matcher(c)
                    .matches()).map(c -> " (Content-Type " + c + ")").orElse("");
            return unreadable(e.code(), "the answer to a " + type + " search is " + e.reason() + media, body);
        }
        String resourceType = bundle.path("resourceType").asText("");
        if (!"Bundle".equals(resourceType)) {
            return unreadable(NOT_A_BUNDLE, "the answer to a " + type + " search is " + describe(resourceType)
                    + ", not a Bundle", body);
        }
        List<CanonicalRecord> records = new ArrayList<>();
        List<DeadLetter> rejected = new ArrayList<>();
        Instant newest = null;
        int number = 0;
        for (JsonNode entry : bundle.path("entry")) {
            number++;
            JsonNode resource = entry.path("resource");
            String mode = entry.path("search").path("mode").asText("match");
            String entryType = resource.path("resourceType").asText("");
            if (resource.isMissingNode() || !mode.equals("match") || entryType.equals("OperationOutcome")) {
                continue; // included resources and warnings are not results of this search
            }
            byte[] entryJson = resource.toString().getBytes(StandardCharsets.UTF_8);
            if (!entryType.equals(type)) {
                rejected.add(letter(WRONG_TYPE, "entry " + number + " of a " + type + " search page is "
                        + describe(entryType) + ", not a " + type, entryJson));
                continue;
            }
            try {
                FhirPayloads.Parsed parsed = payloads.parseTree(resource);
                for (CanonicalRecord record : parsed.records(connectorId)) {
                    records.add(record);
                    Resource r = record.resource();
                    if (r.getMeta().hasLastUpdated()) {
                        Instant updated = r.getMeta().getLastUpdated().toInstant();
                        newest = newest == null || updated.isAfter(newest) ? updated : newest;
                    }
                }
            } catch (PayloadException e) {
                rejected.add(letter(e.code(), "entry " + number + " of a " + type + " search page: " + e.reason(),
                        entryJson));
            }
        }
        Optional<String> next = Optional.empty();
        for (JsonNode link : bundle.path("link")) {
            if ("next".equals(link.path("relation").asText()) && link.path("url").isTextual()) {
                next = Optional.of(link.path("url").asText());
            }
        }
        return new Result.Page(records, rejected, next, Optional.ofNullable(newest));
    }

    private Result unreadable(String code, String reason, byte[] body) {
        return new Result.Unreadable(letter(code, reason, body));
    }

    private DeadLetter letter(String code, String reason, byte[] payload) {
        return new DeadLetter(connectorId, code, reason, payload);
    }

    // A resource type name is not patient data, but a malformed body can put anything where one belongs.
    private static String describe(String resourceType) {
        if (resourceType.isEmpty()) {
            return "a JSON value without 'resourceType'";
        }
        return TYPE_NAME.matcher(resourceType).matches() ? "a " + resourceType : "an unknown resource type";
    }
}
