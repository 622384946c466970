package org.twinbridge.connector.fhir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * A secret read from an environment variable ({@code <name>-env}) or a file ({@code <name>-file}), never from the
 * configuration itself. Prints as its source only; the value is read through {@link #reveal()}.
 *
 * @param source where it came from, e.g. {@code env:EHR_TOKEN} or {@code file:/run/secrets/ehr}
 * @param value  the secret
 */
record Secret(String source, String value) {

    String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "Secret[" + source + "]";
    }

    /**
     * Reads the secret {@code name} of the settings section {@code section} (for messages, e.g. {@code auth}).
     * Relative file names are resolved against {@code baseDir}.
     */
    static Secret read(ConnectorSettings settings, String section, String name, Path baseDir)
            throws ConnectorConfigException {
        Optional<String> env = settings.string(name + "-env");
        Optional<String> file = settings.string(name + "-file");
        if (env.isPresent() == file.isPresent()) {
            throw new ConnectorConfigException(section,
                    "'" + section + "' needs exactly one of '" + name + "-env' or '" + name + "-file'");
        }
        if (env.isPresent()) {
            String value = System.getenv(env.get());
            if (value == null || value.isBlank()) {
                throw new ConnectorConfigException(section, "'" + section + "." + name + "-env' names environment "
                        + "variable " + env.get() + ", which is not set or empty");
            }
            return new Secret("env:" + env.get(), value);
        }
        String value;
        try {
            value = Files.readString(baseDir.resolve(file.get()), StandardCharsets.UTF_8).trim();
        } catch (IOException | InvalidPathException e) {
            throw new ConnectorConfigException(section, "'" + section + "." + name + "-file' names " + file.get()
                    + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (value.isEmpty()) {
            throw new ConnectorConfigException(section, "'" + section + "." + name + "-file' names " + file.get()
                    + ", which is empty");
        }
        return new Secret("file:" + file.get(), value);
    }
}
