package org.twinbridge.tools.keycloak;

import org.twinbridge.testkit.KeycloakServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and chromedriver ({@code apt-get install chromium chromium-driver}) for the console's browser
 * tests. A condition, so it is decided before {@link KeycloakServer} starts anything: without them the tests are
 * skipped (reported as skipped, with the reason), unless {@code TWINBRIDGE_REQUIRE_SERVICES=true} (CI), where they
 * fail instead.
 */
final class Chromium implements ExecutionCondition {

    static final Path BROWSER = Path.of(System.getenv().getOrDefault("TWINBRIDGE_CHROMIUM", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getenv().getOrDefault("TWINBRIDGE_CHROMEDRIVER",
            "/usr/bin/chromedriver"));

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
            return ConditionEvaluationResult.enabled("Chromium and chromedriver are installed");
        }
        String message = "Chromium (" + BROWSER + ") or chromedriver (" + DRIVER + ") is missing; install them with "
                + "'apt-get install chromium chromium-driver' to run the console's browser tests";
        if (Boolean.parseBoolean(System.getenv("TWINBRIDGE_REQUIRE_SERVICES"))) {
            throw new AssertionError(message + " (TWINBRIDGE_REQUIRE_SERVICES=true)");
        }
        return ConditionEvaluationResult.disabled(message + "; skipping them.");
    }

    /** A fresh headless browser with a profile of its own in {@code profile}. */
    static ChromeDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return driver;
    }
}
