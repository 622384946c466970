package org.twinbridge.policy.load;

import java.util.List;
import java.util.stream.Collectors;
import org.twinbridge.policy.yaml.LocatedError;

/** A policy directory, code list or policy test is invalid. Carries every error found, each located. */
public final class PolicyException extends Exception {

    private static final long serialVersionUID = 1L;
    private final List<LocatedError> errors;

    public PolicyException(List<LocatedError> errors) {
        super(errors.stream().map(LocatedError::format).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<LocatedError> errors() {
        return errors;
    }
}
