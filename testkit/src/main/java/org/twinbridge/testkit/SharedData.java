package org.twinbridge.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The externally written test corpus ({@code shared/data}, next to the repository). Tests that sweep it skip
 * with a message when it is absent, unless {@code TWINBRIDGE_REQUIRE_SHARED_DATA=true} (CI), where they fail.
 */
public final class SharedData {

    private SharedData() {
    }

    /** The corpus folder if present, for tests that use it when they can and do without it otherwise. */
    public static Optional<Path> find(String sub) {
        return Optional.ofNullable(System.getenv("TWINBRIDGE_SHARED_DATA")).map(Path::of)
                .or(() -> Stream.of("../shared/data", "../../shared/data", "../../../shared/data")
                        .map(Path::of).filter(Files::isDirectory).findFirst())
                .map(root -> root.resolve(sub)).filter(Files::isDirectory);
    }

    public static Path require(String sub) {
        Optional<Path> found = Optional.ofNullable(System.getenv("TWINBRIDGE_SHARED_DATA")).map(Path::of)
                .or(() -> Stream.of("../shared/data", "../../shared/data", "../../../shared/data")
                        .map(Path::of).filter(Files::isDirectory).findFirst());
        if (found.isEmpty() || !Files.isDirectory(found.get().resolve(sub))) {
            if (Boolean.parseBoolean(System.getenv("TWINBRIDGE_REQUIRE_SHARED_DATA"))) {
                throw new AssertionError("shared test data " + sub + " is required but was not found next to the "
                        + "repository; set TWINBRIDGE_SHARED_DATA");
            }
            Assumptions.abort("shared test data (" + sub + ") not found next to the repository; skipping. Set "
                    + "TWINBRIDGE_SHARED_DATA=/path/to/shared/data to run this sweep.");
        }
        return found.get().resolve(sub);
    }
}
