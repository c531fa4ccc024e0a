package io.cozecdc.sync;

import jakarta.enterprise.context.ApplicationScoped;

import io.cozecdc.common.RuntimeSettings;

/**
 * The per-batch log lines, in the spirit of the original service, in English or Chinese
 * ({@code cdc.log-language}). Each carries the batch id so one batch can be followed across lines.
 */
@ApplicationScoped
public class Messages {

    private final boolean chinese;

    public Messages(RuntimeSettings settings) {
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

    /**
     * One config's share of a batch: {@code sent} went to Coze (documents created, or deletions
     * queued), {@code unchanged} needed no call (same content, or a newer change already went
     * through), {@code failed} will be retried or became dead letters, {@code held} waits for a
     * configuration in ERROR (shown only when there are any).
     */
    public String configDone(String batch, String config, int sent, int unchanged, int failed, int held) {
        int total = sent + unchanged + failed + held;
        if (chinese) {
            return "[批次 %s] 配置 %s 同步完成，成功: %d，未变: %d，失败: %d%s，共 %d 条".formatted(batch, config, sent, unchanged, failed,
                    held > 0 ? "，暂缓: " + held : "", total);
        }
        return "[batch %s] Config %s sync complete, sent: %d, unchanged: %d, failed: %d%s, of %d".formatted(batch, config, sent,
                unchanged, failed, held > 0 ? ", held: " + held : "", total);
    }
}
