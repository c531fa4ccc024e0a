package io.cozecdc.capture;

import io.cozecdc.api.ApiException;

/**
 * The trigger swap could not lock its table within {@link SchemaRepository#LOCK_WAIT_SECONDS} seconds
 * (a long transaction holds it). Nothing was changed; the install is tried again later (drift repair,
 * or the caller). The API answers 409.
 */
public class TableBusyException extends ApiException {

    public TableBusyException(String table) {
        super(409, "table-busy", "The table is busy", "table " + table + " could not be locked within "
                + SchemaRepository.LOCK_WAIT_SECONDS + " s to swap its triggers (a long transaction holds it); nothing "
                + "was changed, try again later", null);
    }
}
