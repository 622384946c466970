package org.twinbridge.connector.hl7v2;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Captures everything logged while it is open: the whole application at DEBUG, and the loggers that see message
 * bytes (camel-mllp, HAPI, TwinBridge) at TRACE, so that a payload logged at any level is caught.
 */
final class LogCapture implements AutoCloseable {

    private static final List<String> VERBOSE = List.of("org.apache.camel.component.mllp", "ca.uhn", "org.twinbridge");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Map<String, Level> before = new HashMap<>();

    private LogCapture() {
        before.put(org.slf4j.Logger.ROOT_LOGGER_NAME, root.getLevel());
        root.setLevel(Level.DEBUG);
        for (String name : VERBOSE) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            before.put(name, logger.getLevel());
            logger.setLevel(Level.TRACE);
        }
        appender.start();
        root.addAppender(appender);
    }

    static LogCapture start() {
        return new LogCapture();
    }

    /** Each event's message and logger, and the class and message of every throwable in its chain. */
    List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(appender.list)) {
            texts.add(event.getLoggerName() + " " + event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(t.getClassName() + ": " + t.getMessage());
                for (IThrowableProxy suppressed : t.getSuppressed()) {
                    texts.add(suppressed.getClassName() + ": " + suppressed.getMessage());
                }
            }
        }
        return texts;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        before.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }
}
