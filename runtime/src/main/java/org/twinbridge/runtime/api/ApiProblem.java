package org.twinbridge.runtime.api;

import java.util.List;
import java.util.Map;

/**
 * A request that cannot be served, answered as an RFC 9457 problem document. The detail must never carry PHI:
 * it goes back to the caller and may be logged.
 *
 * @see ProblemDocument
 */
public final class ApiProblem extends Exception {

    private final int status;
    private final String code;
    private final String title;
    private final List<Map<String, Object>> errors;

    public ApiProblem(int status, String code, String title, String detail) {
        this(status, code, title, detail, List.of());
    }

    /** @param errors located errors (file, line, column, code, message), e.g. of an invalid policy upload */
    public ApiProblem(int status, String code, String title, String detail, List<Map<String, Object>> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem badRequest(String code, String detail) {
        return new ApiProblem(400, code, "Bad request", detail);
    }

    public static ApiProblem notFound(String code, String detail) {
        return new ApiProblem(404, code, "Not found", detail);
    }

    public static ApiProblem conflict(String code, String detail) {
        return new ApiProblem(409, code, "Conflict", detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public List<Map<String, Object>> errors() {
        return errors;
    }
}
