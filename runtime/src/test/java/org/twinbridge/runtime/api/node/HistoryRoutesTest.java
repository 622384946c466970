package org.twinbridge.runtime.api.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.twinbridge.runtime.api.ApiRequest;
import org.twinbridge.runtime.api.ApiResponse;
import org.twinbridge.runtime.api.Role;
import org.twinbridge.runtime.api.Route;
import org.twinbridge.runtime.observe.MetricHistory;
import org.twinbridge.runtime.testing.MovableClock;

class HistoryRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void history_listsEachSampleOldestFirst_withCountsRatesAndLags_perConnectorAndPlugin() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-12-08T10:00:00Z"));
        Map<String, MetricHistory.Reading> connectors = new LinkedHashMap<>();
        Map<String, MetricHistory.Reading> plugins = new LinkedHashMap<>();
        MetricHistory history = new MetricHistory(MetricHistory.Source.of(() -> Map.copyOf(connectors),
            () -> Map.copyOf(plugins)), clock, MetricHistory.CAPACITY);
        connectors.put("adt", new MetricHistory.Reading(5, null));
        plugins.put("news2", new MetricHistory.Reading(2, 3.0));
        history.sample();
        clock.advance(Duration.ofMinutes(2));
        connectors.put("adt", new MetricHistory.Reading(25, 0.25));
        plugins.put("news2", new MetricHistory.Reading(12, 0.0));
        history.sample();

        Route route = new HistoryRoutes(history).routes().get(0);
        assertThat(route.method()).isEqualTo("GET");
        assertThat(route.template()).isEqualTo("/api/v1/node/history");
        assertThat(route.roles()).isEqualTo(Set.of(Role.INTEGRATION_ADMIN, Role.AUDITOR));
        assertThat(route.mutating()).isFalse();
        ApiResponse response = route.handler().handle(new ApiRequest("GET", route.template(), Map.of(), Map.of(),
                null, new byte[0], null));
        JsonNode body = JSON.readTree(response.body());

        assertThat(response.status()).isEqualTo(200);
        assertThat(body.path("intervalSeconds").asLong()).isEqualTo(60);
        assertThat(body.path("capacity").asInt()).isEqualTo(60);
        JsonNode first = body.path("samples").get(0);
        JsonNode second = body.path("samples").get(1);
        assertThat(first.path("at").asText()).isEqualTo("2026-12-08T10:00:00Z");
        assertThat(first.path("connectors").get(0).path("journalledPerMinute").isNull()).isTrue();
        assertThat(first.path("connectors").get(0).path("lagSeconds").isNull()).isTrue();
        assertThat(first.path("plugins").get(0).path("cursorLag").asLong()).isEqualTo(3);
        assertThat(second.path("at").asText()).isEqualTo("2026-12-08T10:02:00Z");
        JsonNode adt = second.path("connectors").get(0);
        assertThat(List.of(adt.path("id").asText(), adt.path("journalled").asLong(),
                adt.path("journalledPerMinute").asDouble(), adt.path("lagSeconds").asDouble()))
                .containsExactly("adt", 25L, 10.0, 0.25);
        JsonNode news2 = second.path("plugins").get(0);
        assertThat(List.of(news2.path("id").asText(), news2.path("delivered").asLong(),
                news2.path("deliveredPerMinute").asDouble(), news2.path("cursorLag").asLong()))
                .containsExactly("news2", 12L, 5.0, 0L);
    }
}
