package org.twinbridge.policy.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML mapping read with its positions, so that every error can say {@code file:line:column}. Errors are
 * collected rather than thrown, so one run reports every mistake.
 */
public final class YamlSection {

    private final String file;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final List<LocatedError> errors;

    public YamlSection(String file, String path, Node node, List<LocatedError> errors) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.errors = errors;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
                if (entries.putIfAbsent(key, tuple) != null) {
                    error(tuple.getKeyNode(), "TB-YAML-006", "duplicate key '" + qualified(key) + "'");
                }
            }
        } else {
            error(node, "TB-YAML-003", "'" + path + "' must be a mapping of keys to values");
        }
    }

    /** Reports every key not in {@code allowed}, naming the keys that are. */
    public void allowOnly(Set<String> allowed) {
        entries.forEach((key, tuple) -> {
            if (!allowed.contains(key)) {
                error(tuple.getKeyNode(), "TB-YAML-001", "unknown key '" + qualified(key) + "'; expected one of: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        });
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Optional<String> string(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return Optional.empty();
        }
        if (tuple.getValueNode() instanceof ScalarNode scalar) {
            return Optional.of(scalar.getValue());
        }
        error(tuple.getValueNode(), "TB-YAML-003", "'" + qualified(key) + "' must be a single value");
        return Optional.empty();
    }

    public String requireString(String key, String example) {
        Optional<String> value = string(key);
        if (value.isEmpty() && !has(key)) {
            error(node, "TB-YAML-002", "missing key '" + qualified(key) + "', for example " + example);
        }
        return value.orElse("");
    }

    public Optional<Boolean> bool(String key) {
        return string(key).flatMap(text -> switch (text) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> {
                error(entries.get(key).getValueNode(), "TB-YAML-003",
                        "'" + qualified(key) + "' must be true or false, not '" + text + "'");
                yield Optional.empty();
            }
        });
    }

    public Optional<YamlSection> section(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? Optional.empty()
                : Optional.of(new YamlSection(file, qualified(key), tuple.getValueNode(), errors));
    }

    public YamlSection requireSection(String key, String example) {
        return section(key).orElseGet(() -> {
            error(node, "TB-YAML-002", "missing section '" + qualified(key) + "', for example " + example);
            return new YamlSection(file, qualified(key), new MappingNode(
                    org.yaml.snakeyaml.nodes.Tag.MAP, List.of(),
                    // SnakeYAML 2 rejects a null flow style: a missing section used to end in a NullPointerException.
                    org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK), new ArrayList<>());
        });
    }

    /** The items of a sequence of mappings, each as a section. */
    public List<YamlSection> sections(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return List.of();
        }
        if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
            error(tuple.getValueNode(), "TB-YAML-003", "'" + qualified(key) + "' must be a list");
            return List.of();
        }
        List<YamlSection> items = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            items.add(new YamlSection(file, qualified(key) + "[" + i + "]", sequence.getValue().get(i), errors));
        }
        return items;
    }

    /** A list of plain values, or a single value taken as a list of one. */
    public Optional<List<String>> strings(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return Optional.empty();
        }
        Object value = plain(tuple.getValueNode());
        if (value instanceof String s) {
            return Optional.of(List.of(s));
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return Optional.of(list.stream().map(String.class::cast).toList());
        }
        error(tuple.getValueNode(), "TB-YAML-003", "'" + qualified(key) + "' must be a list of values");
        return Optional.empty();
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    /** Every entry except the named ones, as plain Java values (strings, lists, maps). */
    public Map<String, Object> plainEntries(Set<String> except) {
        Map<String, Object> out = new LinkedHashMap<>();
        entries.forEach((key, tuple) -> {
            if (!except.contains(key)) {
                out.put(key, plain(tuple.getValueNode()));
            }
        });
        return out;
    }

    /** Where this section starts, as {@code file:line:column}. */
    public String location() {
        LocatedError here = errorHere("", "");
        return here.file() + ":" + here.line() + ":" + here.column();
    }

    /** An error located at the start of this section. */
    public LocatedError errorHere(String code, String message) {
        return located(node.getStartMark(), code, message);
    }

    /** Records an error at a key's value. */
    public void errorAt(String key, String code, String message) {
        NodeTuple tuple = entries.get(key);
        error(tuple == null ? node : tuple.getValueNode(), code, message);
    }

    public String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private void error(Node at, String code, String message) {
        errors.add(located(at.getStartMark(), code, message));
    }

    private LocatedError located(Mark mark, String code, String message) {
        return mark == null ? new LocatedError(file, 0, 0, code, message)
                : new LocatedError(file, mark.getLine() + 1, mark.getColumn() + 1, code, message);
    }

    private static Object plain(Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue().stream().map(YamlSection::plain).toList();
        }
        Map<String, Object> map = new LinkedHashMap<>();
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                map.put(String.valueOf(plain(tuple.getKeyNode())), plain(tuple.getValueNode()));
            }
        }
        return map;
    }
}
