package io.cozecdc.sync;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The per-batch log lines, in the spirit of the original service, in English or Chinese
 * ({@code cdc.log-language}). Each carries the batch id so one batch can be followed across lines.
 */
@ApplicationScoped
public class Messages {

    private final boolean chinese;

    public Messages(SyncSettings settings) {
        this.chinese = settings.logLanguage().toLowerCase().startsWith("zh");
    }

    public String found(String batch, int count) {
        return chinese ? "[批次 %s] 发现 %d 条待处理数据变化".formatted(batch, count)
                : "[batch %s] Found %d pending changes".formatted(batch, count);
    }

    public String table(String batch, String table, int count, int configs) {
        return chinese ? "[批次 %s] 处理表 %s 的 %d 条数据变化，关联 %d 个同步配置".formatted(batch, table, count, configs)
                : "[batch %s] Processing %d changes of table %s for %d sync configurations".formatted(batch, count, table, configs);
    }

    public String configDone(String batch, String config, int ok, int total) {
        return chinese ? "[批次 %s] 配置 %s 同步完成，成功: %d/%d".formatted(batch, config, ok, total)
                : "[batch %s] Config %s sync complete, success: %d/%d".formatted(batch, config, ok, total);
    }
}
