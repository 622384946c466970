package org.twinbridge.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Embeds JSON text (e.g. a FHIR resource from HAPI's parser) in a response tree. */
public final class ApiResponseJson {

    private ApiResponseJson() {
    }

    public static JsonNode tree(String json) {
        try {
            return ApiResponse.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("HAPI's JSON parser wrote invalid JSON", e);
        }
    }
}
