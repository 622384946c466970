package org.twinbridge.runtime.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The console's static shell: what it serves, what it refuses, and rules every shipped file keeps. */
class ConsoleSiteTest {

    /** Nothing listens here, so the login settings cannot be read. */
    private final ConsoleSite site = new ConsoleSite(URI.create("http://127.0.0.1:9/realms/none"));

    @ParameterizedTest
    @ValueSource(strings = {"/console/../openapi/twinbridge-api.yaml", "/console/%2e%2e/x.js", "/console/App.js",
            "/console/pages/../app.js", "/console/a/b/c.js", "/console/index.html.bak", "/consolex",
            "/console/nothing.js"})
    void pathsOutsideTheShippedFiles_are404(String path) {
        assertThat(site.serve("GET", path).status()).isEqualTo(404);
    }

    @Test
    void onlyGetAndHead_areServed() {
        assertThat(site.serve("POST", "/console/").status()).isEqualTo(405);
        assertThat(site.serve("HEAD", "/console/app.js").status()).isEqualTo(200);
    }

    @Test
    void unreachableIssuer_makesTheLoginSettings503_withACode() {
        StaticResponse config = site.serve("GET", "/console/config.json");

        assertThat(config.status()).isEqualTo(503);
        assertThat(new String(config.body(), StandardCharsets.UTF_8)).contains("TB-API-056");
    }

    @Test
    void everyAnswer_carriesTheSecurityHeaders() {
        StaticResponse page = site.serve("GET", "/console/");

        assertThat(page.headers()).containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("Referrer-Policy", "no-referrer").containsEntry("Cache-Control", "no-store");
        assertThat(page.headers().get("Content-Security-Policy")).startsWith("default-src 'none'; script-src 'self';")
                .contains("connect-src 'self' http://127.0.0.1:9;");
    }

    /**
     * The content security policy forbids inline script, so none may be shipped (it would silently not run); and
     * the console keeps tokens and data in memory only, so no file may touch browser storage or cookies.
     */
    @Test
    void shippedFiles_haveNoInlineScript_andNeverUseBrowserStorage() throws Exception {
        Path root = Path.of("src/main/resources/console");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).hasSizeGreaterThan(10);
        Pattern inlineScript = Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
        Pattern inlineHandler = Pattern.compile("<[^>]+\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
        for (Path file : files) {
            String text = Files.readString(file);
            if (file.toString().endsWith(".html")) {
                assertThat(inlineScript.matcher(text).find()).as(file + " has an inline script").isFalse();
                assertThat(inlineHandler.matcher(text).find()).as(file + " has an inline handler").isFalse();
                assertThat(text).as(file.toString()).doesNotContain("style=");
            }
            assertThat(text).as(file.toString()).doesNotContain("localStorage", "sessionStorage", "document.cookie",
                    "indexedDB", "innerHTML", "eval(");
            assertThat(site.serve("GET", "/console/" + root.relativize(file).toString().replace('\\', '/')).status())
                    .as(file.toString()).isEqualTo(200);
        }
    }
}
