package org.twinbridge.runtime.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One API operation: method, path template ({@code /api/v1/policies/{version}}), the roles that may call it,
 * and whether it changes anything (then it is audited). The route table is the single source of the role
 * table in docs/api.md and of the paths in the OpenAPI document; tests hold all three together.
 */
public record Route(String method, String template, Set<Role> roles, boolean mutating, Handler handler) {

    /** Serves one call. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    private static final Pattern PARAMETER = Pattern.compile("\\{([a-zA-Z]+)}");

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(handler, "handler");
    }

    /** The path parameters if {@code path} matches the template. */
    public Optional<Map<String, String>> match(String path) {
        Matcher names = PARAMETER.matcher(template);
        List<String> parameters = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (names.find()) {
            regex.append(Pattern.quote(template.substring(last, names.start()))).append("([^/]+)");
            parameters.add(names.group(1));
            last = names.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        Matcher m = Pattern.compile(regex.toString()).matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            values.put(parameters.get(i), java.net.URLDecoder.decode(m.group(i + 1),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return Optional.of(values);
    }
}
