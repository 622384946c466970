package org.twinbridge.runtime.config;

import org.twinbridge.policy.yaml.LocatedError;
import java.util.List;
import java.util.stream.Collectors;

/** The configuration is invalid. Carries every error found, not just the first; the CLI exits with 2. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;
    private final List<LocatedError> errors;

    public ConfigException(List<LocatedError> errors) {
        super(errors.stream().map(LocatedError::format).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public ConfigException(LocatedError error) {
        this(List.of(error));
    }

    public List<LocatedError> errors() {
        return errors;
    }
}
