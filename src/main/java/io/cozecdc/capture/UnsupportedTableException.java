package io.cozecdc.capture;

/** The table exists but cannot be captured; the message names the table and the reason. */
public class UnsupportedTableException extends RuntimeException {

    private final String table;

    public UnsupportedTableException(String table, String reason) {
        super("Table '" + table + "' cannot be captured: " + reason);
        this.table = table;
    }

    public String table() {
        return table;
    }
}
