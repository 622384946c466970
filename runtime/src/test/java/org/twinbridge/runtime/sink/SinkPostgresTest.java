package org.twinbridge.runtime.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.testing.TestDatabases;

/** The sink cursor and its stored backoff on PostgreSQL (the V8 migration), across a restart. */
class SinkPostgresTest {

    @TempDir
    Path dir;

    @Test
    void onPostgres_aRestartDuringAnOutage_keepsThePlace_andDeliversEverythingAfterwards() throws Exception {
        String url = TestDatabases.createPostgres();
        WireMockServer receiver = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        receiver.start();
        try (SinkFixture fixture = new SinkFixture(dir, () -> TestDatabases.postgres(url))) {
            String hook = "http://127.0.0.1:" + receiver.port() + "/hook";
            receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(502)));
            SinkWorker before = fixture.worker(SinkFixture.sink("hook", "webhook", "TREAT", hook), "TREAT");
            fixture.alerts(2, "TREAT");
            assertThat(before.deliverDue()).isZero();
            before.close();

            fixture.restart();
            receiver.resetAll();
            receiver.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(201)));
            SinkWorker after = fixture.worker(SinkFixture.sink("hook", "webhook", "TREAT", hook), "TREAT");
            fixture.clock.advance(Duration.ofSeconds(1));

            assertThat(after.deliverDue()).isEqualTo(2);
            assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/hook")))).hasSize(2)
                    .allSatisfy(r -> assertThat(r.getBodyAsString()).contains("Patient/p1"));
        } finally {
            receiver.stop();
            TestDatabases.dropPostgres(url);
        }
    }
}
