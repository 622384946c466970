import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Does an embedded store keep a commit when its process is killed? The evidence behind the embedded default
 * (docs/reliability.md, section 1). Four threads commit transactions shaped like a node's (an insert of a
 * random payload plus an upsert of a state row, so that the store reuses space), and print each id once its
 * commit has returned. The parent SIGKILLs the writer at random moments, reopens the store and counts the
 * printed ids that are missing. A single-file program, run with the driver on the class path:
 *
 * <pre>
 * java -cp sqlite-jdbc-3.54.1.0.jar:slf4j-api-2.0.x.jar docs/probes/StoreKillProbe.java sqlite /tmp/probe 25
 * java -cp h2-2.5.252.jar docs/probes/StoreKillProbe.java h2 /tmp/probe 25
 * </pre>
 */
public final class StoreKillProbe {

    /** Run from the repository's root: the writer is this same single-file program, started again. */
    private static final String SOURCE = "docs/probes/StoreKillProbe.java";

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[3].equals("--writer")) {
            write(url(args[0], Path.of(args[1])), args[2]);
            return;
        }
        String store = args[0];
        Path dir = Files.createDirectories(Path.of(args[1]));
        int kills = Integer.parseInt(args[2]);
        Path printed = dir.resolve("printed.txt");
        Files.deleteIfExists(printed);
        Random random = new Random();
        for (int kill = 1; kill <= kills; kill++) {
            Process writer = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"), SOURCE,
                    store, dir.toString(), "k" + kill, "--writer")
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(printed.toFile()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long before = Files.exists(printed) ? Files.size(printed) : 0;
            while (writer.isAlive() && (!Files.exists(printed) || Files.size(printed) == before)) {
                Thread.sleep(50); // started and committing: from here on a kill can land in any commit
            }
            Thread.sleep(2000 + random.nextInt(4000));
            writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            System.out.println("kill " + kill + ": " + check(url(store, dir), printed));
        }
    }

    private static String url(String store, Path dir) {
        return switch (store) {
            case "sqlite" -> "jdbc:sqlite:" + dir.resolve("probe.db")
                    + "?journal_mode=WAL&synchronous=FULL&busy_timeout=60000";
            case "h2" -> "jdbc:h2:file:" + dir.resolve("probe") + ";WRITE_DELAY=0";
            default -> throw new IllegalArgumentException("store is sqlite or h2");
        };
    }

    private static void write(String url, String run) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS t (id VARCHAR(64) PRIMARY KEY, payload BLOB)");
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS s (k VARCHAR(64) PRIMARY KEY, v BLOB)");
        }
        AtomicLong sequence = new AtomicLong();
        Object turn = new Object(); // SQLite lets one transaction write at a time; the node's Database does the same
        boolean serialise = url.startsWith("jdbc:sqlite:");
        for (int t = 0; t < 4; t++) {
            int thread = t;
            new Thread(() -> {
                Random random = new Random();
                try (Connection c = DriverManager.getConnection(url)) {
                    c.setAutoCommit(false);
                    while (true) {
                        if (serialise) {
                            synchronized (turn) {
                                commitOne(c, random, run + "-" + sequence.incrementAndGet(), thread);
                            }
                        } else {
                            commitOne(c, random, run + "-" + sequence.incrementAndGet(), thread);
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }).start();
        }
    }

    private static void commitOne(Connection c, Random random, String id, int thread) throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
            insert.setString(1, id);
            insert.setBytes(2, bytes(random, 200 + random.nextInt(3000)));
            insert.executeUpdate();
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM s WHERE k = ?");
                PreparedStatement insert = c.prepareStatement("INSERT INTO s VALUES (?, ?)")) {
            String key = "k" + thread + "-" + random.nextInt(50);
            delete.setString(1, key);
            delete.executeUpdate();
            insert.setString(1, key);
            insert.setBytes(2, bytes(random, 500 + random.nextInt(15000)));
            insert.executeUpdate();
        }
        c.commit();
        synchronized (System.out) {
            System.out.println(id);
            System.out.flush();
        }
    }

    private static String check(String url, Path printed) throws Exception {
        List<String> ids = Files.readAllLines(printed).stream().filter(l -> !l.isBlank()).toList();
        Set<String> stored = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url);
                ResultSet rs = c.createStatement().executeQuery("SELECT id FROM t")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        long missing = ids.stream().filter(id -> !stored.contains(id)).count();
        return ids.size() + " commits printed, " + missing + " missing";
    }

    private static byte[] bytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
