package org.twinbridge.sdk.error;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every TwinBridge error code, across all areas.
 *
 * <p>The codes are split over a few enums by area rather than one enum because one constant per code, each with
 * a meaning and a fix, is close to 300 constants: a single enum would be a 1,000-line file (STYLE.md rule 10),
 * while each area group stays readable on its own. The sealed {@link ErrorCode} keeps the set closed, and this
 * class is the one place that lists the groups. Stateless and thread-safe.
 */
public final class ErrorCatalogue {

    private static final List<ErrorCode> ALL = Stream.<ErrorCode[]>of(
                    ApiErrors.values(), ConnectorErrors.values(), FederationErrors.values(), NodeErrors.values(), PolicyErrors.values(),
                    SecurityErrors.values(), ToolErrors.values(), TwinErrors.values())
            .flatMap(Arrays::stream)
            .sorted(Comparator.comparing(ErrorCode::code))
            .toList();

    private static final Map<String, ErrorCode> BY_CODE =
            ALL.stream().collect(Collectors.toUnmodifiableMap(ErrorCode::code, Function.identity(), (a, b) -> {
                throw new IllegalStateException("error code " + a.code() + " is defined twice");
            }));

    private ErrorCatalogue() {
    }

    /** All codes, ordered by code string; never empty. */
    public static List<ErrorCode> all() {
        return ALL;
    }

    /** The entry for a code such as {@code TB-API-005}, or empty if the catalogue has no such code. */
    public static Optional<ErrorCode> find(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }
}
