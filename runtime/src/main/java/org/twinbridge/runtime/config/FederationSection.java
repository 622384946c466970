package org.twinbridge.runtime.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.twinbridge.policy.yaml.LocatedError;
import org.twinbridge.policy.yaml.YamlSection;

/**
 * Reads {@code federation:}:
 * <pre>
 * federation:
 *   site: st-marys                      # default: node.id
 *   identity: { keystore: ./federation/identity.p12, password-env: TWINBRIDGE_FEDERATION_PASSWORD }
 *   trust-dir: ./federation/trust
 *   listen: "127.0.0.1:9443"
 *   serve: true                         # default: true when listen is set
 *   may-coordinate: false
 *   peers: [ { site: city-general, url: "https://10.1.2.3:9443" } ]
 * </pre>
 */
final class FederationSection {

    private static final Pattern SITE = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final Pattern HOST_PORT = Pattern.compile("([^:]+|\\[[0-9a-fA-F:]+\\]):(\\d{1,5})");

    private FederationSection() {
    }

    static NodeConfig.Federation read(YamlSection s, Path baseDir, NodeConfig.Node node) {
        s.allowOnly(Set.of("site", "identity", "trust-dir", "listen", "serve", "may-coordinate", "peers"));
        String site = s.string("site").orElse(node.id());
        if (!SITE.matcher(site).matches()) {
            s.errorAt("site", "TB-FED-001", "'federation.site' must be 2-63 lower-case letters, digits and dashes");
        }
        Path federationDir = node.dataDir().resolve("federation");
        Path keystore = federationDir.resolve("identity.p12");
        SecretRef password = new SecretRef.FromEnv("TWINBRIDGE_FEDERATION_PASSWORD", new LocatedError("federation",
                0, 0, "TB-FED-002", "environment variable TWINBRIDGE_FEDERATION_PASSWORD is not set (site identity "
                + "password)"));
        Optional<YamlSection> identity = s.section("identity");
        if (identity.isPresent()) {
            YamlSection i = identity.get();
            i.allowOnly(Set.of("keystore", "password-env", "password-file"));
            keystore = i.string("keystore").map(baseDir::resolve).orElse(keystore).normalize();
            password = ConfigLoader.secret(i, baseDir).orElse(password);
        }
        Path trustDir = s.string("trust-dir").map(baseDir::resolve).orElse(federationDir.resolve("trust")).normalize();
        Optional<InetSocketAddress> listen = s.string("listen").flatMap(l -> address(s, l));
        // A site serves where it listens unless told not to; serving without an address is a mistake to report.
        boolean serve = s.bool("serve").orElse(listen.isPresent());
        if (serve && listen.isEmpty() && s.string("listen").isEmpty()) {
            s.errorAt("serve", "TB-FED-001", "'federation.serve: true' needs 'federation.listen' (host:port where "
                    + "the site accepts tasks over mutual TLS)");
        }
        boolean mayCoordinate = s.bool("may-coordinate").orElse(false);
        List<NodeConfig.FederationPeer> peers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (YamlSection p : s.sections("peers")) {
            p.allowOnly(Set.of("site", "url"));
            String peer = p.requireString("site", "site: city-general");
            String url = p.requireString("url", "url: \"https://10.1.2.3:9443\"");
            if (!SITE.matcher(peer).matches()) {
                p.errorAt("site", "TB-FED-001", "peer site '" + peer + "' must be lower-case letters, digits and "
                        + "dashes");
                continue;
            }
            if (!seen.add(peer)) {
                p.errorAt("site", "TB-FED-001", "peer site '" + peer + "' is listed twice");
                continue;
            }
            try {
                URI uri = URI.create(url);
                if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException("not https");
                }
                peers.add(new NodeConfig.FederationPeer(peer, uri));
            } catch (IllegalArgumentException e) {
                p.errorAt("url", "TB-FED-001", "peer url '" + url + "' must be https://host:port (mutual TLS only)");
            }
        }
        return new NodeConfig.Federation(site, keystore, password, trustDir, listen, serve, mayCoordinate, peers);
    }

    private static Optional<InetSocketAddress> address(YamlSection s, String text) {
        Matcher m = HOST_PORT.matcher(text);
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            s.errorAt("listen", "TB-FED-001", "'federation.listen' must be host:port, for example "
                    + "\"127.0.0.1:9443\", not '" + text + "'");
            return Optional.empty();
        }
        String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        return Optional.of(InetSocketAddress.createUnresolved(host, Integer.parseInt(m.group(2))));
    }
}
