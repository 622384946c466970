package org.twinbridge.connector.hl7v2;

import java.nio.charset.Charset;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.twinbridge.connector.hl7v2.internal.SenderAllowList;
import org.twinbridge.connector.hl7v2.internal.mapping.MessageType;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * The validated settings of one HL7 v2 connector.
 *
 * @param host                    the address to listen on
 * @param port                    the TCP port
 * @param tls                     TLS for the listener, if configured
 * @param senders                 the senders allowed (MSH-3, optionally MSH-4); empty allows any
 * @param messageTypes            the message types accepted
 * @param assigningAuthorities    identifier system URI per assigning authority
 * @param defaultIdentifierSystem system for identifiers without an assigning authority
 * @param charset                 the character set of frames whose MSH-18 is empty or unknown
 * @param zone                    the zone of date/times without a UTC offset
 * @param maxConnections          how many sender connections may be open at once
 */
record Hl7v2Settings(String host, int port, Optional<TlsSettings> tls, List<SenderAllowList.Sender> senders,
        Set<MessageType> messageTypes, Map<String, String> assigningAuthorities,
        Optional<String> defaultIdentifierSystem, Charset charset, ZoneId zone, int maxConnections) {

    static final Set<String> KEYS = Set.of("listen", "tls", "senders", "message-types", "assigning-authorities",
            "default-identifier-system", "charset", "timezone", "max-connections");
    private static final Pattern LISTEN = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):(\\d{1,5})");
    private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:[^\\s]+");

    Hl7v2Settings {
        senders = List.copyOf(senders);
        messageTypes = Set.copyOf(messageTypes);
        assigningAuthorities = Map.copyOf(assigningAuthorities);
    }

    static Hl7v2Settings from(ConnectorSettings settings) throws ConnectorConfigException {
        String listen = settings.requireString("listen").trim();
        Matcher m = LISTEN.matcher(listen);
        int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
        if (!m.matches() || port < 1 || port > 65535) {
            throw new ConnectorConfigException("listen", "'listen' must be host:port with a port from 1 to 65535, "
                    + "for example \"127.0.0.1:2575\", not '" + listen + "'");
        }
        String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        List<SenderAllowList.Sender> senders = new ArrayList<>();
        for (String text : settings.strings("senders", List.of())) {
            senders.add(SenderAllowList.Sender.parse(text).orElseThrow(() -> new ConnectorConfigException("senders",
                    "'senders' entries are APPLICATION or APPLICATION^FACILITY (MSH-3 and MSH-4 namespace ids), "
                            + "not '" + text + "'")));
        }
        return new Hl7v2Settings(host, port, TlsSettings.from(settings.section("tls"), settings.asMap()
                .containsKey("tls")), senders, messageTypes(settings), assigningAuthorities(settings),
                uri(settings, "default-identifier-system"), charset(settings), zone(settings),
                maxConnections(settings));
    }

    private static Set<MessageType> messageTypes(ConnectorSettings settings) throws ConnectorConfigException {
        String supported = EnumSet.allOf(MessageType.class).stream().map(MessageType::spelling)
                .collect(Collectors.joining(", "));
        List<String> names = settings.strings("message-types", null);
        if (names == null) {
            return EnumSet.allOf(MessageType.class);
        }
        if (names.isEmpty()) {
            throw new ConnectorConfigException("message-types", "'message-types' must name at least one of "
                    + supported);
        }
        Set<MessageType> types = EnumSet.noneOf(MessageType.class);
        for (String name : names) {
            types.add(MessageType.parse(name).orElseThrow(() -> new ConnectorConfigException("message-types",
                    "'message-types' has '" + name + "'; supported: " + supported)));
        }
        return types;
    }

    private static Map<String, String> assigningAuthorities(ConnectorSettings settings)
            throws ConnectorConfigException {
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : settings.section("assigning-authorities").asMap().entrySet()) {
            if (!(e.getValue() instanceof String system) || !URI.matcher(system).matches()) {
                throw new ConnectorConfigException("assigning-authorities", "'assigning-authorities." + e.getKey()
                        + "' must be an identifier system URI such as http://hospital.example.org/mrn or "
                        + "urn:oid:1.2.3");
            }
            result.put(e.getKey(), system);
        }
        return result;
    }

    private static Optional<String> uri(ConnectorSettings settings, String key) throws ConnectorConfigException {
        Optional<String> value = settings.string(key).map(String::trim);
        if (value.isPresent() && !URI.matcher(value.get()).matches()) {
            throw new ConnectorConfigException(key, "'" + key + "' must be a URI such as "
                    + "http://hospital.example.org/mrn, not '" + value.get() + "'");
        }
        return value;
    }

    private static Charset charset(ConnectorSettings settings) throws ConnectorConfigException {
        String name = settings.string("charset").orElse("UTF-8").trim();
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            throw new ConnectorConfigException("charset", "'charset' must be a character set Java supports, such "
                    + "as UTF-8 or ISO-8859-1, not '" + name + "'");
        }
    }

    private static ZoneId zone(ConnectorSettings settings) throws ConnectorConfigException {
        Optional<String> name = settings.string("timezone").map(String::trim);
        try {
            return name.map(ZoneId::of).orElseGet(ZoneId::systemDefault);
        } catch (DateTimeException e) {
            throw new ConnectorConfigException("timezone", "'timezone' must be a zone id such as Europe/London or "
                    + "UTC, not '" + name.orElse("") + "'");
        }
    }

    private static int maxConnections(ConnectorSettings settings) throws ConnectorConfigException {
        String text = settings.string("max-connections").orElse("5").trim();
        int value = text.matches("\\d{1,3}") ? Integer.parseInt(text) : 0;
        if (value < 1 || value > 100) {
            throw new ConnectorConfigException("max-connections",
                    "'max-connections' must be a whole number from 1 to 100, not '" + text + "'");
        }
        return value;
    }
}
