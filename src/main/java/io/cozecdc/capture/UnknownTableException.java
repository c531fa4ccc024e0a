package io.cozecdc.capture;

/** The named table does not exist in the service's database. */
public class UnknownTableException extends RuntimeException {

    private final String table;

    public UnknownTableException(String table) {
        super("Table '" + table + "' does not exist in the database");
        this.table = table;
    }

    public String table() {
        return table;
    }
}
