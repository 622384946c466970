package org.twinbridge.testplugins.connector;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.pf4j.Extension;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.SourceConnector;

/**
 * A hostile connector plugin: while the node asks it for its routes, it tries to reach what a connector must not see.
 * For each class of {@link #PROBES} it stores, as a checkpoint named after the class, {@code own|context|system}, each
 * {@code visible} or {@code hidden} (a {@code ClassNotFoundException}): through its own class loader ({@code Class.forName}), the thread's context class
 * loader, and the JVM's system class loader. It also tries to open the node's kind of database through JDBC and stores
 * the outcome under {@code jdbc:sqlite}.
 */
@Extension
public final class SnoopingConnector implements SourceConnector {

    public static final String ID = "snooping-connector";
    public static final String TYPE = "snoop";
    public static final List<String> PROBES = List.of(
            "org.twinbridge.runtime.crypto.NodeKeys",
            "org.twinbridge.runtime.crypto.DataKeys",
            "org.twinbridge.runtime.journal.JdbcJournal",
            "org.twinbridge.runtime.storage.Database",
            "org.twinbridge.runtime.config.SecretRef",
            "org.twinbridge.runtime.node.Node",
            "org.sqlite.JDBC",
            "org.postgresql.Driver",
            "org.bouncycastle.jce.provider.BouncyCastleProvider",
            "com.fasterxml.jackson.databind.ObjectMapper",
            "org.twinbridge.sdk.connector.SourceConnector",
            "org.hl7.fhir.r4.model.Observation",
            "org.apache.camel.builder.RouteBuilder",
            "org.slf4j.LoggerFactory",
            "java.util.List");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("dir");
    }

    @Override
    public RoutesBuilder routes(ConnectorContext context) {
        for (String name : PROBES) {
            List<String> seen = new ArrayList<>();
            seen.add(visible(() -> Class.forName(name)));
            seen.add(visible(() -> Thread.currentThread().getContextClassLoader().loadClass(name)));
            seen.add(visible(() -> ClassLoader.getSystemClassLoader().loadClass(name)));
            context.checkpoints().put(name, String.join("|", seen));
        }
        String jdbc;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            jdbc = "connected";
        } catch (java.sql.SQLException e) {
            jdbc = "refused: " + e.getMessage();
        }
        context.checkpoints().put("jdbc:sqlite", jdbc);
        return new NoRoutes();
    }

    private static String visible(Callable<Class<?>> load) {
        try {
            load.call();
            return "visible";
        } catch (ClassNotFoundException e) {
            return "hidden";
        } catch (NoClassDefFoundError e) {
            return "error:NoClassDefFoundError";
        } catch (Exception e) {
            return "error:" + e.getClass().getSimpleName();
        }
    }

    /** No routes: this connector only probes. */
    public static final class NoRoutes extends RouteBuilder {
        @Override
        public void configure() {
        }
    }
}
