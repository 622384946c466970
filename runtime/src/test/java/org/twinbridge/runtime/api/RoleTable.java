package org.twinbridge.runtime.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The role table of docs/api.md, read from the document itself so that tests check what readers read. */
public final class RoleTable {

    /** One row: an operation and the roles the document says may call it. */
    public record Row(String method, String path, Set<Role> allowed) {
        /** A concrete path: every {@code {parameter}} filled, and the query the patient-scoped routes need. */
        public String example() {
            return path.replace("{version}", "1").replace("{other}", "1").replace("{id}", "nothing-here")
                    + "?patient=ehr%3APatient%2Fnobody&purpose=TREAT";
        }
    }

    private static final List<Role> COLUMNS = List.of(Role.PRIVACY_OFFICER, Role.INTEGRATION_ADMIN, Role.AUDITOR,
            Role.CLINICIAN);

    private RoleTable() {
    }

    public static List<Row> rows() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("../docs/api.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("| Method | Path | privacy-officer | integration-admin | auditor | clinician |")) {
                inTable = true;
                continue;
            }
            if (inTable && !line.startsWith("|")) {
                break;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|");
            Set<Role> allowed = EnumSet.noneOf(Role.class);
            for (int i = 0; i < COLUMNS.size(); i++) {
                String cell = cells[3 + i].trim();
                if (cell.equals("yes")) {
                    allowed.add(COLUMNS.get(i));
                } else if (!cell.equals("no")) {
                    throw new IllegalStateException("role table cell must be yes or no: " + line);
                }
            }
            rows.add(new Row(cells[1].trim(), cells[2].trim().replace("`", ""), allowed));
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("docs/api.md has no role table");
        }
        return rows;
    }

    /** Every cell: (method, path, role, allowed). */
    public static Stream<Arguments> cells() {
        return rows().stream().flatMap(row -> COLUMNS.stream().map(role -> Arguments.of(row.method(), row.path(),
                role, row.allowed().contains(role), row)));
    }
}
