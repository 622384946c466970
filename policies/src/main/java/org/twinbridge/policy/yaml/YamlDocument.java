package org.twinbridge.policy.yaml;

import java.io.Reader;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one YAML document as a node tree with positions. Aliases are limited and documents are bounded, so a
 * hostile file (a "billion laughs" alias bomb, a huge document) fails with an error instead of exhausting
 * memory.
 */
public final class YamlDocument {

    private static final int MAX_ALIASES = 10;
    private static final int MAX_NESTING = 50;
    private static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    private YamlDocument() {
    }

    /**
     * Parses the document and returns its root as a section, or empty after adding an error to {@code errors}
     * (not YAML, or an empty document).
     */
    public static Optional<YamlSection> read(String file, Reader reader, List<LocatedError> errors) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // YamlSection reports duplicates with their position instead
            options.setMaxAliasesForCollections(MAX_ALIASES);
            options.setNestingDepthLimit(MAX_NESTING);
            options.setCodePointLimit(MAX_CODE_POINTS);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            String hint = String.valueOf(e.getProblem()).endsWith("but got [")
                    ? " (inside [ ] lists, quote element paths with [x]: \"value[x]\")" : "";
            errors.add(new LocatedError(file, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, "TB-YAML-009", "not valid YAML: " + e.getProblem()
                    + hint));
            return Optional.empty();
        } catch (YAMLException e) {
            errors.add(new LocatedError(file, 0, 0, "TB-YAML-009", "not valid YAML: " + e.getMessage()));
            return Optional.empty();
        }
        if (root == null) {
            errors.add(new LocatedError(file, 1, 1, "TB-YAML-002", "the document is empty"));
            return Optional.empty();
        }
        return Optional.of(new YamlSection(file, "", root, errors));
    }
}
