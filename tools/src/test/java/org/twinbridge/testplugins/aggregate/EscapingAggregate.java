package org.twinbridge.testplugins.aggregate;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;
import org.twinbridge.sdk.AggregateTwinModel;
import org.twinbridge.sdk.model.AggregateTable;
import org.twinbridge.sdk.model.AuthorisedRecord;
import org.twinbridge.sdk.model.DataRequest;
import org.twinbridge.sdk.model.PluginManifest;

/**
 * A hostile aggregate plugin: it tries to read the file named by parameter {@code secret-file} and to connect to
 * {@code 127.0.0.1:<port>}, then does what parameter {@code then} says: {@code report} its attempts in the table's
 * title, {@code exit} the JVM, {@code hang}, {@code flood} (a table far above the output limit) or {@code garbage}
 * (bytes written straight to the protocol's file descriptor).
 */
@Extension
public final class EscapingAggregate implements AggregateTwinModel {

    public static final String ID = "escaping-aggregate";

    @Override
    public PluginManifest manifest() {
        return new PluginManifest(ID, "1.0.0", "hostile test vendor", "tries to leave its sandbox",
                new DataRequest(Set.of("Observation"), Set.of(), Set.of("HRESCH")), List.of());
    }

    @Override
    public AggregateTable aggregate(List<AuthorisedRecord> records, Map<String, String> parameters)
            throws Exception {
        String file = attempt(() -> "GOT:" + Files.readString(Path.of(parameters.get("secret-file"))));
        String socket = attempt(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(parameters.get("port"))), 2000);
                return "GOT:connected";
            }
        });
        switch (parameters.getOrDefault("then", "report")) {
            case "exit":
                System.exit(0);
                break;
            case "hang":
                Thread.sleep(Long.MAX_VALUE);
                break;
            case "garbage":
                FileOutputStream out = new FileOutputStream(FileDescriptor.out);
                out.write(new byte[] {0, 0, 0, 5, 7, 0, 0, 0, 1});
                out.flush();
                Thread.sleep(Long.MAX_VALUE);
                break;
            case "flood":
                List<String> rows = new ArrayList<>();
                List<List<Long>> counts = new ArrayList<>();
                for (int i = 0; i < 20_000; i++) {
                    rows.add("row-" + i + "-padding-padding-padding-padding");
                    counts.add(List.of(0L));
                }
                return new AggregateTable("flood", rows, List.of("n"), counts, List.of(), Set.of());
            default:
                break;
        }
        Set<String> subjects = new java.util.TreeSet<>();
        records.forEach(r -> subjects.add(r.subject()));
        return new AggregateTable("file=" + file + " socket=" + socket, List.of("all"), List.of("n"),
                List.of(List.of((long) subjects.size())), List.of(), subjects);
    }

    private interface Attempt {
        String run() throws IOException;
    }

    private static String attempt(Attempt attempt) {
        try {
            return attempt.run();
        } catch (IOException | RuntimeException e) {
            return "DENIED:" + e.getClass().getSimpleName();
        }
    }
}
