package io.cozecdc.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the formatted log lines of one logger category while open (try-with-resources). */
public final class LogCapture extends Handler implements AutoCloseable {

    /** One captured line: its level and its message with the arguments filled in. */
    public record Line(Level level, String message) {
    }

    private final Logger logger;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture(String category) {
        this.logger = Logger.getLogger(category);
        logger.addHandler(this);
    }

    public static LogCapture of(String category) {
        return new LogCapture(category);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The messages containing {@code text}. */
    public List<String> containing(String text) {
        return lines.stream().map(Line::message).filter(m -> m.contains(text)).toList();
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        Object[] params = record.getParameters();
        if (params != null && params.length > 0 && message != null) {
            try {
                message = message.contains("%") ? String.format(message, params) : java.text.MessageFormat.format(message, params);
            } catch (RuntimeException e) {
                // keep the raw message
            }
        }
        lines.add(new Line(record.getLevel(), message));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
