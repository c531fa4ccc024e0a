package io.cozecdc.common;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Before Flyway migrates: stops with the fix when the server has {@code explicit_defaults_for_timestamp=OFF}
 * and migrations V2 and V5 still have to run. Their {@code TIMESTAMP(3) NOT NULL} columns without a
 * DEFAULT then get the zero date as default, which MySQL 8's default sql_mode refuses with error 1067
 * (or, without NO_ZERO_DATE, silently turns into ON UPDATE CURRENT_TIMESTAMP). Applied migrations cannot
 * change (Flyway checksums), so the setting is checked instead. Once V2 and V5 are applied it no longer
 * matters: later migrations give every TIMESTAMP an explicit DEFAULT or NULL.
 */
public final class TimestampDefaultsCheck implements Callback {

    static final String SETTING = "SELECT @@explicit_defaults_for_timestamp";

    private final boolean chinese;

    public TimestampDefaultsCheck(boolean chinese) {
        this.chinese = chinese;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        Connection connection = context.getConnection();
        try {
            if (on(connection) || timestampMigrationsApplied(connection, context.getConfiguration().getTable())) {
                return;
            }
        } catch (SQLException e) {
            throw new FlywayException("Could not read explicit_defaults_for_timestamp: " + e.getMessage(), e);
        }
        throw new FlywayException(message());
    }

    @Override
    public String getCallbackName() {
        return "coze-cdc: explicit_defaults_for_timestamp";
    }

    String message() {
        return chinese
                ? "数据库参数 explicit_defaults_for_timestamp=OFF：迁移 V2 和 V5 会因错误 1067（Invalid default value）失败。"
                        + "修复：将参数 explicit_defaults_for_timestamp 设为 ON（阿里云 RDS「参数设置」；腾讯云 CDB「参数设置」/「参数模板」；"
                        + "自建：SET GLOBAL explicit_defaults_for_timestamp = ON 并写入 my.cnf），然后重新启动服务。"
                : "The database has explicit_defaults_for_timestamp=OFF: migrations V2 and V5 would fail with error 1067 "
                        + "(Invalid default value). Fix: set the parameter explicit_defaults_for_timestamp = ON (Aliyun RDS "
                        + "参数设置 / Parameters; Tencent Cloud CDB 参数设置 or 参数模板; self-managed: SET GLOBAL "
                        + "explicit_defaults_for_timestamp = ON and the same in my.cnf), then start the service again.";
    }

    private static boolean on(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(SETTING)) {
            rs.next();
            String value = rs.getString(1);
            return "1".equals(value) || "ON".equalsIgnoreCase(value);
        }
    }

    private static boolean timestampMigrationsApplied(Connection connection, String historyTable) throws SQLException {
        try (var ps = connection.prepareStatement("SELECT COUNT(*) FROM information_schema.TABLES "
                + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
            ps.setString(1, historyTable);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    return false;
                }
            }
        }
        String sql = "SELECT COUNT(DISTINCT version) FROM `" + historyTable.replace("`", "``")
                + "` WHERE version IN ('2', '5') AND success = 1";
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1) == 2;
        }
    }
}
