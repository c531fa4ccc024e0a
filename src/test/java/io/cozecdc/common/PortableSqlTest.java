package io.cozecdc.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Issue 19, item 4: no statement of the service uses VALUES() in ON DUPLICATE KEY UPDATE. MySQL 8.0.20+
 * raises warning 1287 ("'VALUES function' is deprecated") on every execution (MySQL 8.0 Reference Manual,
 * "INSERT ... ON DUPLICATE KEY UPDATE Statement"), and its replacement row alias ({@code VALUES (...) AS new})
 * is rejected by MariaDB; the upserts take their new values from a derived table instead, a form the
 * MySQL manual documents ({@code INSERT INTO t1 SELECT * FROM (SELECT c, c+d AS e FROM t2) AS dt ON DUPLICATE
 * KEY UPDATE b = e}) and MariaDB runs (the repository tests exercise each upsert on MariaDB).
 */
class PortableSqlTest {

    private static final Pattern VALUES_FUNCTION = Pattern.compile("VALUES\\s*\\(\\s*[a-z_]+\\s*\\)", Pattern.CASE_INSENSITIVE);

    @Test
    void noUpsertUsesTheDeprecatedValuesFunction() throws IOException {
        List<String> offenders;
        try (var files = Files.walk(Path.of("src/main/java"))) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    String code = Files.readString(p).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
                    return VALUES_FUNCTION.matcher(code).find();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
        }
        assertThat(offenders).isEmpty();
    }
}
