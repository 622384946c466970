package org.twinbridge.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One authenticated call, after routing.
 *
 * @param pathParameters the values of the route's {@code {name}} segments, URL-decoded
 */
public record ApiRequest(String method, String path, Map<String, String> pathParameters,
        Map<String, List<String>> query, String contentType, byte[] body, Principal principal) {

    public ApiRequest {
        pathParameters = Map.copyOf(pathParameters);
        query = Map.copyOf(query);
    }

    public String path(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }

    public Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The query's {@code limit}: {@code fallback} when absent, else a number from 1 to {@code max}, or a 400. */
    public int limit(int fallback, int max) throws ApiProblem {
        Optional<String> text = query("limit");
        if (text.isEmpty()) {
            return fallback;
        }
        int limit;
        try {
            limit = Integer.parseInt(text.get());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > max) {
            throw ApiProblem.badRequest("TB-API-081", "'limit' must be from 1 to " + max);
        }
        return limit;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as a JSON object, or a 400 problem. */
    public JsonNode jsonBody() throws ApiProblem {
        try {
            JsonNode node = ApiResponse.JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiProblem.badRequest("TB-API-010", "the request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiProblem.badRequest("TB-API-010", "the request body is not valid JSON");
        }
    }
}
