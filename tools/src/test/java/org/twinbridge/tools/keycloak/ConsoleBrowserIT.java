package org.twinbridge.tools.keycloak;

import org.twinbridge.testkit.KeycloakServer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.twinbridge.runtime.api.server.ApiServer;
import org.twinbridge.runtime.api.server.NodeApi;
import org.twinbridge.runtime.config.ConfigLoader;
import org.twinbridge.runtime.config.NodeConfig;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.node.ConnectorRegistry;
import org.twinbridge.runtime.node.Node;
import org.twinbridge.runtime.testing.TestNode;
import org.twinbridge.tools.cli.CliRun;

/**
 * The web console in a real browser (Debian's headless Chromium through Selenium) against a running node and the
 * real Keycloak the API tests start: {@code keycloak sync} provisions the console's public client, a privacy officer
 * signs in with authorization code + PKCE, edits a policy into an error and sees it at its line, fixes it, tries a
 * record, runs the policy tests, compares and activates the new version, and finds the activation in the audit; an
 * auditor signs in and is shown no editor and no activation. Screenshots go to target/console-screenshots, and to
 * docs/console/ with {@code -Dtwinbridge.screenshots=docs}.
 */
@ExtendWith({Chromium.class, KeycloakServer.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REALM = "twinbridge-console-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String SETUP_CLIENT = "twinbridge-it-setup";
    private static final String PASSWORD = "it-" + UUID.randomUUID();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static int port;
    private static Path configFile;
    private static Keycloak admin;
    private static Node node;
    private static ApiServer api;
    private static String officerId;
    private static ChromeDriver browser;

    @BeforeAll
    static void provision() throws Exception {
        Path demo = Path.of("../policies/examples/demo");
        Path policies = Files.createDirectories(dir.resolve("policies"));
        try (Stream<Path> walk = Files.walk(demo)) {
            for (Path p : walk.toList()) {
                Path target = policies.resolve(demo.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("README.md")) {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.createDirectories(dir.resolve("plugins"));
        Files.createDirectories(dir.resolve("inbox"));
        TestNode.copyKeystore(dir.resolve("keys.p12"));
        Files.writeString(dir.resolve("keys.pw"), new String(TestNode.password()));
        Files.writeString(dir.resolve("kc-admin"), KeycloakServer.ADMIN_PASSWORD + "\n");
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        configFile = dir.resolve("twinbridge.yaml");
        Files.writeString(configFile, """
                node: { id: console-it, data-dir: ./data }
                keys: { keystore: ./keys.p12, password-file: ./keys.pw }
                plugins: { dir: ./plugins }
                policies: { dir: ./policies, purposes: { news2-twin: TREAT } }
                connectors:
                  - { id: drop, type: file, dir: ./inbox, poll: 1s, settle-time: 100ms }
                api:
                  port: %d
                  rate-limit-per-minute: 10000
                  oidc: { issuer: "%s/realms/%s", audience: twinbridge-api }
                  keycloak: { admin-user: %s, admin-password-file: ./kc-admin }
                """.formatted(port, KeycloakServer.URL, REALM, KeycloakServer.ADMIN));
        admin = KeycloakBuilder.builder().serverUrl(KeycloakServer.URL).realm("master").clientId("admin-cli")
                .username(KeycloakServer.ADMIN).password(KeycloakServer.ADMIN_PASSWORD)
                .grantType(OAuth2Constants.PASSWORD).build();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (api != null) {
            api.close();
        }
        if (node != null) {
            node.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    @Order(1)
    void sync_provisionsThePublicConsoleClient_withPkceAndTheNodesRedirectUris() throws Exception {
        CliRun sync = CliRun.of("keycloak", "sync", "--config", configFile.toString());
        assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
        assertThat(sync.out()).contains("created public client twinbridge-console");
        CliRun again = CliRun.of("keycloak", "sync", "--config", configFile.toString());
        assertThat(again.out()).contains("no changes");

        RealmResource realm = admin.realm(REALM);
        ClientRepresentation console = realm.clients().findByClientId("twinbridge-console").get(0);
        assertThat(console.isPublicClient()).isTrue();
        assertThat(console.isDirectAccessGrantsEnabled()).isFalse();
        assertThat(console.isImplicitFlowEnabled()).isFalse();
        assertThat(console.getAttributes()).containsEntry("pkce.code.challenge.method", "S256");
        assertThat(console.getRedirectUris()).contains("http://127.0.0.1:" + port + "/console/callback.html");

        officerId = user(realm, "officer", List.of("privacy-officer"));
        user(realm, "auditor", List.of("auditor"));
        ConnectorRegistry registry = ConnectorRegistry.discover();
        NodeConfig config = new ConfigLoader(registry.settingKeys()).load(configFile);
        node = Node.start(config, NodeKeys.load(config.keys().keystore(), TestNode.password()), registry,
                Clock.systemUTC());
        api = NodeApi.start(node, config.api().orElseThrow(), Clock.systemUTC());

        // The hospital's starting point: the demo set uploaded and activated as version 1 (through the API, by a
        // setup client that may use the password grant; the console's own client may not).
        RealmUsers.passwordGrantClient(realm, SETUP_CLIENT);
        String token = passwordGrant("officer");
        ObjectNode upload = JSON.createObjectNode();
        upload.putObject("files").put("policy.yaml", Files.readString(dir.resolve("policies/policy.yaml")))
                .put("labels.yaml", Files.readString(dir.resolve("policies/labels.yaml")));
        assertThat(call("POST", "/api/v1/policies", token, upload.toString()).statusCode()).isEqualTo(201);
        assertThat(call("POST", "/api/v1/policies/1/activate", token, "").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void officer_editsFixesTriesTestsAndActivatesAPolicy_andFindsTheActivationInTheAudit() throws Exception {
        browser = Chromium.start(Files.createDirectories(dir.resolve("chromium-officer")));
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        signIn(browser, wait, "officer");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("draft-save")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("draft-base"), "A copy of version 1"));
        assertThat(browser.getTitle()).isEqualTo("Policies · TwinBridge console");
        assertThat(browser.getCurrentUrl()).endsWith("/console/#/policies");

        // An error: an effect the language does not have. validate's located error is shown at its line.
        String original = Files.readString(dir.resolve("policies/policy.yaml"));
        String broken = original.replaceFirst("effect: permit", "effect: allow");
        int errorLine = lineOf(broken, "effect: allow");
        WebElement editor = browser.findElement(By.cssSelector(".editor textarea"));
        assertThat(editor.getAttribute("value")).isEqualTo(original);
        type(editor, broken);
        browser.findElement(By.id("draft-save")).click();
        WebElement marked = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".backdrop .bl.err")));
        assertThat(marked.getAttribute("data-line")).isEqualTo(Integer.toString(errorLine));
        assertThat(marked.findElement(By.className("inline-error")).getText()).contains("TB-POLICY");
        assertThat(browser.findElement(By.cssSelector(".gutter .ln.err")).getText()).isEqualTo("! " + errorLine);
        assertThat(editor.getAttribute("aria-invalid")).isEqualTo("true");
        screenshot(browser, "policy-error", browser.findElement(By.cssSelector(".editor")));

        // Fixed (and changed), it is stored as version 2, not yet active.
        String fixed = original.replace("description: What the demo node's", "description: Reviewed - what the "
                + "demo node's");
        type(browser.findElement(By.cssSelector(".editor textarea")), fixed);
        browser.findElement(By.id("draft-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"),
                "Saved as version 2 (not active)"));

        // Try a record against version 2: the decision, its rule and the exact JSON the plugin would receive.
        new Select(browser.findElement(By.id("try-version"))).selectByValue("2");
        new Select(browser.findElement(By.id("try-sample"))).selectByIndex(1);
        browser.findElement(By.id("try-run")).click();
        WebElement decision = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("try-decision")));
        assertThat(decision.getText()).startsWith("Permit");
        assertThat(browser.findElement(By.id("try-rules")).getText()).contains("news2-vital-signs");
        String view = browser.findElement(By.cssSelector("#try-view pre")).getText();
        JsonNode projected = JSON.readTree(view);
        assertThat(projected.path("resourceType").asText()).isEqualTo("Observation");
        assertThat(projected.has("identifier")).as("identifiers are not projected").isFalse();
        assertThat(view).doesNotContain("Jane Roe");
        screenshot(browser, "try-record", browser.findElement(By.id("try-result")));

        // The node's policy tests against version 2.
        new Select(browser.findElement(By.id("test-version"))).selectByValue("2");
        browser.findElement(By.id("test-run")).click();
        WebElement summary = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("test-summary")));
        assertThat(summary.getText()).matches("\\d+ passed, 0 failed");

        // The diff against the active version, then activation behind a confirmation.
        browser.findElement(By.xpath("//button[text()='Diff 2 with active']")).click();
        WebElement added = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".diff .add")));
        assertThat(added.getText()).contains("Reviewed");
        screenshot(browser, "diff", browser.findElement(By.id("policy-output")));
        browser.findElement(By.xpath("//button[text()='Activate 2']")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm")));
        screenshot(browser, "activate-confirm", null);
        dialog.findElement(By.xpath(".//button[text()='Activate']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("active-version"), "2"));
        screenshot(browser, "policies", null);

        // The activation in the audit, with the officer's user id; the chain verifies.
        browser.findElement(By.linkText("Audit")).click();
        WebElement kind = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-kind")));
        kind.sendKeys("policy.activate");
        browser.findElement(By.id("audit-search")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-results"), "version=2"));
        String rows = browser.findElement(By.id("audit-results")).getText();
        assertThat(rows).contains("user:" + officerId).contains("policy.activate");
        browser.findElement(By.id("audit-verify-run")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-verify"), "Chain intact"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/#/audit");
        screenshot(browser, "audit", null);

        // Nothing of the session is in browser storage or cookies.
        Object stored = browser.executeScript("return window.localStorage.length + window.sessionStorage.length"
                + " + document.cookie.length");
        assertThat(((Number) stored).intValue()).isZero();

        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
        assertThat(browser.findElements(By.cssSelector("#nav a"))).isEmpty();
    }

    @Test
    @Order(3)
    void auditor_seesVersionsAndTheAudit_butNoEditorAndNoActivation() throws Exception {
        ChromeDriver auditor = Chromium.start(Files.createDirectories(dir.resolve("chromium-auditor")));
        try {
            WebDriverWait wait = new WebDriverWait(auditor, WAIT);
            signIn(auditor, wait, "auditor");
            wait.until(ExpectedConditions.textToBe(By.id("active-version"), "2"));
            assertThat(auditor.findElements(By.id("draft-save"))).isEmpty();
            assertThat(auditor.findElements(By.cssSelector(".editor"))).isEmpty();
            assertThat(auditor.findElements(By.id("try-run"))).isEmpty();
            assertThat(auditor.findElements(By.xpath("//button[starts-with(text(),'Activate')]"))).isEmpty();
            assertThat(auditor.findElements(By.id("rollback"))).isEmpty();
            assertThat(auditor.findElements(By.xpath("//button[text()='Diff 1 with active']"))).hasSize(1);
            Set<String> pages = Set.copyOf(auditor.findElements(By.cssSelector("#nav a")).stream()
                    .map(WebElement::getText).toList());
            assertThat(pages).contains("Policies", "Audit", "Plugins", "Consents", "Connectors and node")
                    .doesNotContain("Twin outputs");
            screenshot(auditor, "auditor-policies", null);

            auditor.findElement(By.linkText("Connectors and node")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "Dead letters"));
            assertThat(auditor.getCurrentUrl()).endsWith("/console/#/connectors");
            assertThat(auditor.findElements(By.xpath("//button[starts-with(text(),'Drop')]"))).isEmpty();
            assertThat(auditor.findElements(By.xpath("//button[starts-with(text(),'Pause')]"))).isEmpty();
            // The last hour as charts: an SVG image named by its caption, with the numbers in a table beside it. Two
            // more samples than the node's first, so the chart has points to draw.
            node.observability().history().sample();
            node.observability().history().sample();
            auditor.findElement(By.linkText("Policies")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("active-version")));
            auditor.findElement(By.linkText("Connectors and node")).click();
            WebElement chart = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chart-journalled")));
            WebElement image = chart.findElement(By.cssSelector("svg[role='img']"));
            assertThat(chart.findElement(By.id(image.getAttribute("aria-labelledby"))).getText())
                    .startsWith("Records journalled per minute, per connector");
            assertThat(chart.findElements(By.cssSelector("circle.series-0"))).isNotEmpty()
                    .allSatisfy(dot -> assertThat(dot.getAttribute("cy")).matches("[0-9]+(\\.[0-9]+)?"));
            assertThat(chart.findElements(By.cssSelector("details table tbody tr")).size()).isGreaterThanOrEqualTo(2);
            assertThat(auditor.findElement(By.id("chart-connector-lag")).isDisplayed()).isTrue();
            screenshot(auditor, "connectors", auditor.findElement(By.id("node-history")));

            // A patient looked up on the consents page stays out of the address and the title.
            auditor.findElement(By.linkText("Consents")).click();
            WebElement patient = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("consent-patient")));
            patient.sendKeys("urn:oid:1.2.36.146.595.217.0.1|MRN-4711");
            patient.submit();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#consent-results .problem")));
            assertThat(auditor.getCurrentUrl()).endsWith("/console/#/consents").doesNotContain("MRN-4711");
            assertThat(auditor.getTitle()).isEqualTo("Consents · TwinBridge console");
        } finally {
            auditor.quit();
        }
    }

    @Test
    @Order(4)
    void endedSession_asksToSignInAgain_andKeepsTheUnsavedEdit() throws Exception {
        // Short-lived access tokens, so the console refreshes within seconds; ending the user's sessions at Keycloak
        // makes that refresh fail, as when an administrator or the session's idle timeout ends it.
        RealmResource realm = admin.realm(REALM);
        var settings = realm.toRepresentation();
        settings.setAccessTokenLifespan(20);
        realm.update(settings);
        ChromeDriver officer = Chromium.start(Files.createDirectories(dir.resolve("chromium-expiry")));
        try {
            WebDriverWait wait = new WebDriverWait(officer, WAIT);
            signIn(officer, wait, "officer");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("draft-base"), "A copy of version 2"));
            WebElement editor = officer.findElement(By.cssSelector(".editor textarea"));
            String draft = editor.getAttribute("value").replace("description: Reviewed - what the demo node's",
                    "description: Unsaved - what the demo node's");
            type(editor, draft);

            realm.users().get(officerId).logout();
            WebElement dialog = new WebDriverWait(officer, Duration.ofSeconds(60)).until(
                    ExpectedConditions.visibilityOfElementLocated(By.id("session-dialog")));
            screenshot(officer, "session-ended", null);
            dialog.findElement(By.id("session-login")).click();
            signInWindow(officer, wait, "officer", false);
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("session-dialog")));

            assertThat(officer.findElement(By.cssSelector(".editor textarea")).getAttribute("value"))
                    .isEqualTo(draft);
            officer.findElement(By.id("draft-save")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"),
                    "Saved as version 3 (not active)"));
        } finally {
            officer.quit();
        }
    }

    /** Signs in through the console's sign-in window at Keycloak, as a person would. */
    private static void signIn(ChromeDriver driver, WebDriverWait wait, String username) throws Exception {
        driver.get("http://127.0.0.1:" + port + "/console/");
        WebElement login = wait.until(ExpectedConditions.elementToBeClickable(By.id("login")));
        login.click();
        signInWindow(driver, wait, username, username.equals("officer"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#nav a")));
    }

    /** Fills Keycloak's form in the sign-in window the console opened, and returns to the console's window. */
    private static void signInWindow(ChromeDriver driver, WebDriverWait wait, String username, boolean screenshot)
            throws Exception {
        String console = driver.getWindowHandle();
        wait.until(ExpectedConditions.numberOfWindowsToBe(2));
        String popup = driver.getWindowHandles().stream().filter(h -> !h.equals(console)).findFirst().orElseThrow();
        driver.switchTo().window(popup);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(PASSWORD);
        if (screenshot) {
            screenshot(driver, "sign-in", null);
        }
        driver.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.numberOfWindowsToBe(1));
        driver.switchTo().window(console);
    }

    /** Replaces an editor's text as a paste would, and tells the page it changed. */
    private static void type(WebElement textarea, String text) {
        WebDriver driver = ((org.openqa.selenium.WrapsDriver) textarea).getWrappedDriver();
        ((JavascriptExecutor) driver).executeScript("arguments[0].focus(); arguments[0].value = arguments[1];"
                + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", textarea, text);
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(needle);
    }

    private static void screenshot(WebDriver driver, String name, WebElement focus) throws Exception {
        if (focus != null) {
            ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'start'});"
                    + "window.scrollBy(0, -60);", focus);
        }
        byte[] png = ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
        Path target = Files.createDirectories(Path.of("target/console-screenshots")).resolve(name + ".png");
        Files.write(target, png);
        if ("docs".equals(System.getProperty("twinbridge.screenshots"))) {
            Files.write(Files.createDirectories(Path.of("../docs/console")).resolve(name + ".png"), png);
        }
    }

    private static String user(RealmResource realm, String username, List<String> roles) {
        return RealmUsers.create(realm, username, PASSWORD, roles);
    }

    private static String passwordGrant(String username) throws Exception {
        return RealmUsers.token(REALM, SETUP_CLIENT, username, PASSWORD);
    }

    private static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
