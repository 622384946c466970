package org.twinbridge.connector.file;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.twinbridge.sdk.connector.ConnectorConfigException;
import org.twinbridge.sdk.connector.ConnectorContext;
import org.twinbridge.sdk.connector.ConnectorSettings;

/**
 * The validated settings of one file drop connector.
 *
 * @param dir        the watched directory; {@code done/} and {@code failed/} are created inside it
 * @param poll       time between directory scans
 * @param maxSize    the largest file read, in bytes; larger files go to {@code failed/}
 * @param settleTime how long a file's size and modification time must stay unchanged before it is read
 */
record FileSourceSettings(Path dir, Duration poll, long maxSize, Duration settleTime) {

    static final Set<String> KEYS = Set.of("dir", "poll", "max-size", "settle-time");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KB|MB|GB)", Pattern.CASE_INSENSITIVE);

    static FileSourceSettings from(ConnectorContext context) throws ConnectorConfigException {
        ConnectorSettings settings = context.settings();
        String dirText = settings.requireString("dir");
        Path dir;
        try {
            dir = context.configDirectory().resolve(dirText).normalize();
        } catch (InvalidPathException e) {
            throw new ConnectorConfigException("dir", "'dir' is not a valid path");
        }
        Duration poll = settings.duration("poll", Duration.ofSeconds(5));
        if (poll.toMillis() < 100) {
            throw new ConnectorConfigException("poll", "'poll' must be at least 100ms");
        }
        Duration settle = settings.duration("settle-time", Duration.ofSeconds(1));
        if (settle.toMillis() < 100 || settle.toMinutes() > 10) {
            throw new ConnectorConfigException("settle-time", "'settle-time' must be between 100ms and 10m");
        }
        String sizeText = settings.string("max-size").orElse("50MB");
        Matcher m = SIZE.matcher(sizeText.trim());
        long size = -1;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            size = switch (m.group(2).toUpperCase(Locale.ROOT)) {
                case "KB" -> n * 1024;
                case "MB" -> n * 1024 * 1024;
                case "GB" -> n * 1024 * 1024 * 1024;
                default -> n;
            };
        }
        if (size < 1 || size > 1024L * 1024 * 1024) {
            throw new ConnectorConfigException("max-size", "'max-size' must be a size from 1 byte to 1GB, like "
                    + "512KB or 50MB, not '" + sizeText + "'");
        }
        return new FileSourceSettings(dir, poll, size, settle);
    }
}
