package org.twinbridge.runtime.api;

import org.twinbridge.runtime.api.server.NodeApi;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cell of the role table in docs/api.md, against a running node with signed tokens carrying exactly that
 * one role: a "no" is 403, a "yes" passes the role check (whatever the handler then says about the example
 * input). And the table is exactly the server's route table.
 */
class RoleTableTest {

    @TempDir
    static Path dir;
    private static ApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start(dir, 10_000);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void documentedTable_isTheServersRouteTable() {
        Set<String> documented = RoleTable.rows().stream()
                .map(r -> r.method() + " " + r.path() + " " + r.allowed()).collect(Collectors.toSet());
        Set<String> served = NodeApi.routes(api.node, Clock.systemUTC()).stream()
                .map(r -> r.method() + " " + r.template() + " " + new java.util.TreeSet<>(r.roles()))
                .collect(Collectors.toSet());

        assertThat(documented).isEqualTo(served);
    }

    @ParameterizedTest(name = "{0} {1} as {2}: allowed={3}")
    @MethodSource("org.twinbridge.runtime.api.RoleTable#cells")
    void cell(String method, String path, Role role, boolean allowed, RoleTable.Row row) throws Exception {
        String token = api.tokens.token("u-" + role.claimName(), role.claimName());
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(row.example()))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));

        HttpResponse<String> response = api.send(request);

        if (allowed) {
            assertThat(response.statusCode()).as(response.body()).isNotIn(401, 403, 405);
        } else {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
            assertThat(response.body()).contains("TB-API-030");
        }
    }
}
