package io.cozecdc.capture;

/**
 * The words of {@link DatabasePreflight}: each problem's reason and fix, in English or Chinese
 * ({@code cdc.log-language}, like the per-batch lines). The fixes name the parameter as the managed
 * consoles show it: Aliyun RDS「参数设置」, Tencent Cloud CDB「参数设置」/「参数模板」.
 */
final class PreflightTexts {

    /** The privileges docs/operations.md documents, on the service's schema. */
    static final String PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, TRIGGER, "
            + "LOCK TABLES, CREATE ROUTINE, ALTER ROUTINE, EXECUTE, EVENT";

    private final boolean chinese;

    PreflightTexts(boolean chinese) {
        this.chinese = chinese;
    }

    /** True for any language starting with "zh", as the per-batch lines. */
    static boolean isChinese(String language) {
        return language != null && language.toLowerCase(java.util.Locale.ROOT).startsWith("zh");
    }

    PreflightProblem binlogTrust(String user) {
        return new PreflightProblem("BINLOG_TRUST_FUNCTION_CREATORS", true,
                chinese ? "数据库已开启二进制日志（binlog），用户 " + user + " 没有 SUPER 或 SET_USER_ID 权限，且 "
                        + "log_bin_trust_function_creators=OFF：数据库拒绝 CREATE TRIGGER（错误 1419），无法安装捕获触发器。"
                        : "Binary logging is on, the database user " + user + " has neither SUPER nor SET_USER_ID, and "
                        + "log_bin_trust_function_creators is OFF: the server refuses CREATE TRIGGER (error 1419), so no "
                        + "capture trigger can be installed.",
                chinese ? "修复：将参数 log_bin_trust_function_creators 设为 ON（阿里云 RDS：控制台「参数设置」；腾讯云 CDB："
                        + "「参数设置」或所用「参数模板」；自建 MySQL/MariaDB：SET GLOBAL log_bin_trust_function_creators = 1，"
                        + "并写入 my.cnf）。该参数立即生效，无需重启数据库。"
                        : "Fix: set the parameter log_bin_trust_function_creators = ON (Aliyun RDS: console, 参数设置 / "
                        + "Parameters; Tencent Cloud CDB: 参数设置 or the instance's 参数模板 / parameter template; self-managed: "
                        + "SET GLOBAL log_bin_trust_function_creators = 1 and the same in my.cnf). It takes effect at once, "
                        + "without a database restart.");
    }

    PreflightProblem statementBinlog(String format) {
        return new PreflightProblem("BINLOG_FORMAT_STATEMENT", true,
                chinese ? "binlog_format=" + format + "：服务的会话使用 READ COMMITTED 隔离级别，数据库以错误 1665 拒绝其所有写入。"
                        : "binlog_format is " + format + ": the service's sessions run at READ COMMITTED, and the server "
                        + "refuses every write from them (error 1665).",
                chinese ? "修复：将参数 binlog_format 设为 ROW（阿里云 RDS「参数设置」；腾讯云 CDB「参数设置」/「参数模板」；"
                        + "自建：SET GLOBAL binlog_format = 'ROW' 并写入 my.cnf），然后重启本服务以使用新连接。"
                        : "Fix: set the parameter binlog_format = ROW (Aliyun RDS 参数设置; Tencent Cloud CDB 参数设置 / 参数模板; "
                        + "self-managed: SET GLOBAL binlog_format = 'ROW' and in my.cnf), then restart the service so its "
                        + "connections pick it up.");
    }

    PreflightProblem missingPrivileges(String user, String schema, String missing) {
        String grant = "GRANT " + PRIVILEGES + " ON `" + schema.replace("`", "``") + "`.* TO " + user + ";";
        return new PreflightProblem("MISSING_PRIVILEGES", true,
                chinese ? "数据库用户 " + user + " 在库 " + schema + " 上缺少权限：" + missing + "。"
                        : "The database user " + user + " lacks privileges on schema " + schema + ": " + missing + ".",
                chinese ? "修复：由管理员执行 " + grant + "（阿里云 RDS / 腾讯云 CDB 也可在控制台「账号管理」中为该账号授予这些权限）。"
                        : "Fix: have an administrator run " + grant + " (on Aliyun RDS and Tencent Cloud CDB the console's "
                        + "账号管理 / account management can grant the same).");
    }

    PreflightProblem serverDenied(String serverMessage) {
        return new PreflightProblem("ACCESS_DENIED", true,
                chinese ? "数据库拒绝了操作：" + serverMessage : "The server denied an operation: " + serverMessage,
                chinese ? "修复：授予服务用户文档所列的权限：GRANT " + PRIVILEGES + " ON <库>.* TO <用户>;"
                        : "Fix: grant the service user the documented privileges: GRANT " + PRIVILEGES
                        + " ON <schema>.* TO <user>;");
    }

    PreflightProblem eventSchedulerOff(String state) {
        return new PreflightProblem("EVENT_SCHEDULER_OFF", false,
                chinese ? "event_scheduler=" + state + " 且 cdc.cleanup.enabled=false：没有任何机制删除已处理的变更，"
                        + "data_change_logs 将无限增长。"
                        : "event_scheduler is " + state + " and cdc.cleanup.enabled=false: nothing removes processed "
                        + "changes, and data_change_logs grows without bound.",
                chinese ? "修复：将参数 event_scheduler 设为 ON（阿里云 RDS「参数设置」；腾讯云 CDB「参数设置」/「参数模板」），"
                        + "或设置 CDC_CLEANUP_ENABLED=true 由本服务清理。"
                        : "Fix: set the parameter event_scheduler = ON (Aliyun RDS 参数设置; Tencent Cloud CDB 参数设置 / "
                        + "参数模板), or set CDC_CLEANUP_ENABLED=true so the service cleans up itself.");
    }

    String startupRefused(String table) {
        return chinese ? "未安装表 " + table + " 的捕获触发器，服务继续运行（就绪检查为 DOWN）：" 
                : "Capture triggers of table " + table + " not installed; the service keeps running (readiness DOWN): ";
    }
}
