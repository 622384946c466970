package org.twinbridge.runtime.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration is invalid. Carries every error found, not just the first; the CLI exits with 2. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;
    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::format).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public ConfigException(ConfigError error) {
        this(List.of(error));
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
