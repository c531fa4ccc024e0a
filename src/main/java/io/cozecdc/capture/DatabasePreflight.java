package io.cozecdc.capture;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.cozecdc.changelog.CleanupSettings;
import io.cozecdc.common.RuntimeSettings;

/**
 * Checks, before any trigger install and for readiness, the server settings and grants that MySQL 8
 * and managed MySQL (Aliyun RDS, Tencent Cloud CDB) need for capture: binary logging with neither
 * SUPER nor {@code log_bin_trust_function_creators} (error 1419 on CREATE TRIGGER), STATEMENT binlog
 * format (error 1665 on every READ COMMITTED write), missing privileges, and an event scheduler that
 * is off while the service's own cleanup is off too. Each problem says what to set or grant, in the
 * log language. Server errors 1419, 1142, 1044, 1227 and 1665 are translated to the same problems.
 */
@ApplicationScoped
public class DatabasePreflight {

    static final String SETTINGS = """
            SELECT @@global.log_bin, @@global.log_bin_trust_function_creators, @@global.binlog_format,
                   @@global.event_scheduler, CURRENT_USER(), DATABASE(), CURRENT_ROLE()""";
    /**
     * The current user's global, schema-level (also through a pattern such as {@code inv\_%}) and
     * table-level privileges in this schema; each user may read its own rows. A privilege granted on
     * some table only counts as held: the server has the last word (its errors are translated).
     */
    static final String PRIVILEGES = """
            SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?
            UNION
            SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ? AND DATABASE() LIKE TABLE_SCHEMA
            UNION
            SELECT PRIVILEGE_TYPE FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE = ? AND TABLE_SCHEMA = DATABASE()""";
    static final List<String> REQUIRED = List.of(PreflightTexts.PRIVILEGES.split(", "));

    private final Pool pool;
    private final PreflightTexts texts;
    private final boolean cleanupEnabled;

    @Inject
    public DatabasePreflight(Pool pool, RuntimeSettings settings, CleanupSettings cleanup) {
        this(pool, PreflightTexts.isChinese(settings.logLanguage()), cleanup.enabled());
    }

    /** For tests and tools outside the container. */
    public DatabasePreflight(Pool pool, boolean chinese, boolean cleanupEnabled) {
        this.pool = pool;
        this.texts = new PreflightTexts(chinese);
        this.cleanupEnabled = cleanupEnabled;
    }

    /** Every problem found now; empty when the database allows everything the service does. */
    public Uni<List<PreflightProblem>> check() {
        return pool.query(SETTINGS).execute().map(rows -> rows.iterator().next()).chain(this::judge);
    }

    /** Fails with {@link CaptureRefusedException} when a problem found now refuses trigger installs. */
    public Uni<Void> requireCaptureAllowed() {
        return check().chain(problems -> {
            List<PreflightProblem> blocking = problems.stream().filter(PreflightProblem::blocksCapture).toList();
            return blocking.isEmpty() ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(new CaptureRefusedException(blocking));
        });
    }

    /**
     * The server error a refusal came as (1419, 1142, 1044, 1227, 1665) as a {@link CaptureRefusedException}
     * that says how to fix it; any other failure unchanged.
     */
    public Throwable translate(Throwable failure) {
        return problemOf(failure).<Throwable>map(p -> new CaptureRefusedException(List.of(p))).orElse(failure);
    }

    Optional<PreflightProblem> problemOf(Throwable failure) {
        if (!(failure instanceof io.vertx.mysqlclient.MySQLException e)) {
            return Optional.empty();
        }
        return switch (e.getErrorCode()) {
            case 1419 -> Optional.of(texts.binlogTrust("(the service user)"));
            case 1665 -> Optional.of(texts.statementBinlog("STATEMENT"));
            case 1142, 1044, 1227 -> Optional.of(texts.serverDenied(e.getMessage()));
            default -> Optional.empty();
        };
    }

    private Uni<List<PreflightProblem>> judge(Row settings) {
        boolean binlog = on(settings.getValue(0));
        boolean trusted = on(settings.getValue(1));
        String format = String.valueOf(settings.getValue(2)).toUpperCase(Locale.ROOT);
        String scheduler = String.valueOf(settings.getValue(3)).toUpperCase(Locale.ROOT);
        String user = grantee(settings.getString(4));
        String schema = settings.getString(5);
        Object role = settings.getValue(6);
        // privileges that come through a role are not listed in information_schema: do not guess then
        boolean roles = role != null && !"NONE".equalsIgnoreCase(role.toString()) && !role.toString().isEmpty();
        Uni<Set<String>> privileges = roles ? Uni.createFrom().nullItem()
                : pool.preparedQuery(PRIVILEGES).execute(Tuple.of(user, user, user)).map(rows -> {
                    Set<String> names = new LinkedHashSet<>();
                    for (Row row : rows) {
                        names.add(row.getString(0).toUpperCase(Locale.ROOT));
                    }
                    return names;
                });
        return privileges.map(held -> {
            List<PreflightProblem> problems = new ArrayList<>();
            boolean superUser = held != null && (held.contains("SUPER") || held.contains("SET_USER_ID"));
            if (binlog && !trusted && held != null && !superUser) {
                problems.add(texts.binlogTrust(user));
            }
            if (binlog && "STATEMENT".equals(format)) {
                problems.add(texts.statementBinlog(format));
            }
            if (held != null && schema != null) {
                List<String> missing = REQUIRED.stream().filter(p -> !held.contains(p)).toList();
                if (!missing.isEmpty()) {
                    problems.add(texts.missingPrivileges(user, schema, String.join(", ", missing)));
                }
            }
            if (!cleanupEnabled && !("ON".equals(scheduler) || "1".equals(scheduler))) {
                problems.add(texts.eventSchedulerOff(scheduler));
            }
            return problems;
        });
    }

    /** 'user'@'host' as information_schema spells a grantee, from CURRENT_USER()'s user@host. */
    static String grantee(String currentUser) {
        int at = currentUser.lastIndexOf('@');
        String name = at < 0 ? currentUser : currentUser.substring(0, at);
        String host = at < 0 ? "%" : currentUser.substring(at + 1);
        return "'" + name.replace("'", "''") + "'@'" + host.replace("'", "''") + "'";
    }

    /** The log line's start when startup skips a table the database refuses to capture. */
    String startupRefused(String table) {
        return texts.startupRefused(table);
    }

    private static boolean on(Object value) {
        String s = String.valueOf(value);
        return "1".equals(s) || "ON".equalsIgnoreCase(s) || "true".equalsIgnoreCase(s);
    }
}
