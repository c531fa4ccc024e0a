package io.cozecdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * One writer per table: the SQL that inserts, updates or deletes rows of a service table lives in
 * the one class that owns the table (docs/architecture.md "Who owns which state"). Everything else
 * asks that class. The test reads the SQL in the main sources' string literals, so a second writer
 * fails the build however it is called.
 */
class TableOwnersTest {

    /** Table → the one class whose SQL writes it. */
    static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("data_change_logs", "changelog/ChangeLogRepository"),
            Map.entry("capture_tables", "capture/CaptureTableRepository"),
            Map.entry("sync_configs", "configs/SyncConfigRepository"),
            Map.entry("synced_documents", "sync/documents/SyncedDocumentRepository"),
            Map.entry("coze_documents", "sync/documents/LedgerRepository"),
            Map.entry("sync_failures", "failures/FailureRepository"),
            Map.entry("backfill_jobs", "backfill/BackfillRepository"),
            Map.entry("cdc_job_leases", "common/JobLeaseRepository"),
            Map.entry("create_intents", "sync/documents/CreateIntentRepository"),
            Map.entry("fanout_jobs", "fanout/FanoutRepository"),
            Map.entry("document_dependencies", "fanout/DependencyIndex"));

    /** Classes whose text writes a table on the database's side, not the service's: the capture triggers. */
    static final Set<String> DATABASE_SIDE = Set.of("capture/TriggerSqlGenerator");

    private static final Path MAIN = Path.of("src/main/java/io/cozecdc");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    /** INSERT, UPDATE, DELETE or REPLACE of a table; not "FOR UPDATE", "ON UPDATE" or "KEY UPDATE". */
    private static final Pattern WRITE = Pattern.compile(
            "(?i)(?:\\bINSERT\\s+(?:IGNORE\\s+)?INTO|(?<!FOR\\s|ON\\s|KEY\\s)\\bUPDATE|\\bDELETE\\s+FROM|\\bREPLACE\\s+INTO)"
                    + "\\s+`?([a-z_]+)`?");
    private static final Pattern CREATE_TABLE = Pattern.compile("(?i)CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?`?([a-z_]+)`?");
    private static final Pattern LITERAL = Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:\\\\.|[^\"\\\\])*)\"", Pattern.DOTALL);

    @Test
    void everyServiceTableIsWrittenByItsOwnerOnly() throws IOException {
        Map<String, Set<String>> writers = writers();
        for (Map.Entry<String, String> owner : OWNERS.entrySet()) {
            assertThat(writers.getOrDefault(owner.getKey(), Set.of()))
                    .as("classes whose SQL writes " + owner.getKey())
                    .containsExactly(owner.getValue());
        }
    }

    @Test
    void everyTableOfTheMigrationsHasAnOwner() throws IOException {
        Set<String> tables = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.toList()) {
                Matcher m = CREATE_TABLE.matcher(Files.readString(file));
                while (m.find()) {
                    tables.add(m.group(1).toLowerCase());
                }
            }
        }
        assertThat(tables).as("tables the migrations create").isNotEmpty();
        assertThat(OWNERS.keySet()).as("every table the migrations create has an owner here").containsAll(tables);
    }

    private static Map<String, Set<String>> writers() throws IOException {
        Map<String, Set<String>> writers = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String cls = MAIN.relativize(file).toString().replace('\\', '/').replaceAll("\\.java$", "");
                if (DATABASE_SIDE.contains(cls)) {
                    continue;
                }
                Matcher literal = LITERAL.matcher(Files.readString(file));
                while (literal.find()) {
                    String text = literal.group(1) != null ? literal.group(1) : literal.group(2);
                    Matcher write = WRITE.matcher(text);
                    while (write.find()) {
                        writers.computeIfAbsent(write.group(1).toLowerCase(), t -> new TreeSet<>()).add(cls);
                    }
                }
            }
        }
        return writers;
    }
}
