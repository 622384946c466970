package org.twinbridge.runtime.config;

import org.twinbridge.policy.yaml.LocatedError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a secret lives: an environment variable or a file. Configuration never holds the secret itself, and
 * this type prints its source, never its value.
 */
public sealed interface SecretRef {

    /** Reads the secret. The caller should clear the array when done. */
    char[] reveal() throws ConfigException;

    /** A secret in an environment variable. */
    record FromEnv(String variable, LocatedError ifMissing) implements SecretRef {
        @Override
        public char[] reveal() throws ConfigException {
            String value = System.getenv(variable);
            if (value == null || value.isEmpty()) {
                throw new ConfigException(ifMissing);
            }
            return value.toCharArray();
        }
    }

    /** A secret in a file (trailing newlines are ignored). */
    record FromFile(Path file, LocatedError ifUnreadable) implements SecretRef {
        @Override
        public char[] reveal() throws ConfigException {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
            } catch (IOException e) {
                throw new ConfigException(ifUnreadable);
            }
        }
    }
}
