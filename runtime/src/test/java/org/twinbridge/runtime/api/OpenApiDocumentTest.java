package org.twinbridge.runtime.api;

import org.twinbridge.runtime.api.server.NodeApi;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The shipped OpenAPI document describes exactly the served operations, with the roles the server enforces. */
class OpenApiDocumentTest {

    private static final Set<String> PUBLIC = Set.of("GET /health", "GET /health/live", "GET /health/ready",
            "GET /metrics", "GET " + NodeApi.OPENAPI_PATH);

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Map<String, Object>>> paths() throws Exception {
        Map<String, Object> doc = new Yaml().load(NodeApi.openApiDocument());
        assertThat(doc.get("openapi")).isEqualTo("3.0.3");
        return (Map<String, Map<String, Map<String, Object>>>) doc.get("paths");
    }

    @Test
    void everyOperation_isDocumented_withItsRoles_andNothingElseIs() throws Exception {
        Map<String, Map<String, Map<String, Object>>> paths = paths();
        Set<String> documented = new HashSet<>();
        paths.forEach((path, operations) -> operations.keySet().forEach(m -> documented.add(m.toUpperCase() + " "
                + path)));
        Set<String> served = new HashSet<>(PUBLIC);
        for (RoleTable.Row row : RoleTable.rows()) {
            served.add(row.method() + " " + row.path());
            Object roles = paths.get(row.path()).get(row.method().toLowerCase()).get("x-roles");
            Set<String> expected = new TreeSet<>();
            row.allowed().forEach(r -> expected.add(r.claimName()));
            assertThat(new TreeSet<>((List<String>) roles)).as(row.method() + " " + row.path())
                    .isEqualTo(expected);
        }

        assertThat(documented).isEqualTo(served);
    }

    @Test
    void publicOperations_needNoToken() throws Exception {
        Map<String, Map<String, Map<String, Object>>> paths = paths();
        for (String op : PUBLIC) {
            String path = op.substring(4);
            assertThat(paths.get(path).get("get").get("security")).as(path).isEqualTo(List.of());
        }
    }
}
