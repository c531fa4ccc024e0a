package io.cozecdc.sink;

/**
 * What a failed call to the knowledge base means for the record and the configuration. The sink
 * classifies; the examples are Coze's.
 */
public enum SinkErrorKind {
    /** Worth trying again later: network errors, timeouts, HTTP 429/5xx, codes 4009, 4013, 4102, 5000. */
    RETRYABLE,
    /** This record's request is wrong and will stay wrong (4000, 4300-4304, …): a dead letter. */
    PERMANENT,
    /** The configuration cannot work until someone acts (4100/4101 auth, 4200 dataset not found). */
    CONFIGURATION
}
