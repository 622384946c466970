package org.twinbridge.runtime.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Renders an {@link ApiProblem} as {@code application/problem+json} (RFC 9457). */
public final class ProblemDocument {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemDocument() {
    }

    public static byte[] render(ApiProblem problem, String instance) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("type", "https://twinbridge.org/problems/" + problem.code());
        doc.put("title", problem.title());
        doc.put("status", problem.status());
        doc.put("detail", problem.getMessage());
        doc.put("instance", instance);
        doc.put("code", problem.code());
        if (!problem.errors().isEmpty()) {
            doc.set("errors", JSON.valueToTree(problem.errors()));
        }
        try {
            return JSON.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }
}
