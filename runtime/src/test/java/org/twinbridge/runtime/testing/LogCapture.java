package org.twinbridge.runtime.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records what is logged while open, at the configured levels and TwinBridge's own loggers down to DEBUG, so
 * that tests can assert no PHI reaches the logs.
 */
public final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger twinbridge = (Logger) LoggerFactory.getLogger("org.twinbridge");
    private final Level previous;

    private LogCapture() {
        previous = twinbridge.getLevel();
        twinbridge.setLevel(Level.DEBUG);
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Every message, with the class and message of each throwable in its cause chain. */
    public String all() {
        List<String> texts = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(appender.list)) {
            texts.add(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        return String.join("\n", texts);
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        twinbridge.setLevel(previous);
    }
}
