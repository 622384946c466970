package org.twinbridge.runtime.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records every log event while open, with each throwable's class, message and stack, so tests can assert what
 * never appears in logs. {@link #start()} lowers TwinBridge's loggers to DEBUG; {@link #everything()} lowers
 * every logger to DEBUG.
 */
public final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger ours = (Logger) LoggerFactory.getLogger("org.twinbridge");
    private final Level rootBefore = root.getLevel();
    private final Level oursBefore = ours.getLevel();

    private LogCapture(boolean everything) {
        ours.setLevel(Level.DEBUG);
        if (everything) {
            root.setLevel(Level.DEBUG);
        }
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture(false);
    }

    public static LogCapture everything() {
        return new LogCapture(true);
    }

    /** Everything captured, one event per line, throwables included. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (ILoggingEvent event : List.copyOf(appender.list)) {
            out.append(event.getLoggerName()).append(' ').append(event.getFormattedMessage()).append('\n');
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                out.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    out.append("  ").append(frame.getSTEAsString()).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** Every message with its level and logger, and the class and message of each throwable in its chain. */
    public String all() {
        List<String> texts = new java.util.ArrayList<>();
        for (ch.qos.logback.classic.spi.ILoggingEvent event : List.copyOf(appender.list)) {
            texts.add(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
            for (ch.qos.logback.classic.spi.IThrowableProxy t = event.getThrowableProxy(); t != null;
                    t = t.getCause()) {
                texts.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        return String.join("\n", texts);
    }

    public List<String> messages() {
        List<String> out = new ArrayList<>();
        List.copyOf(appender.list).forEach(e -> out.add(e.getFormattedMessage()));
        return out;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        root.setLevel(rootBefore);
        ours.setLevel(oursBefore);
    }
}
