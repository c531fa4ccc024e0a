package io.cozecdc.api;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The management API's OpenAPI description: bearer auth on every operation. */
@OpenAPIDefinition(
        info = @Info(title = "coze-cdc management API", version = "1",
                description = "Manage sync configurations, backfills, dead letters and captured tables of coze-cdc, the "
                        + "service that keeps Coze knowledge bases in step with MySQL/MariaDB tables. Every call needs "
                        + "`Authorization: Bearer <CDC_API_TOKEN>`. Errors are application/problem+json."),
        security = @SecurityRequirement(name = "bearer"),
        tags = {
            @Tag(name = "sync-configs", description = "What syncs where"),
            @Tag(name = "failures", description = "Retry queue and dead letters"),
            @Tag(name = "tables", description = "Captured tables and their triggers"),
            @Tag(name = "changes", description = "The change log"),
            @Tag(name = "maintenance", description = "Housekeeping on demand")
        })
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The value of CDC_API_TOKEN")
public class ApiDefinition extends Application {
}
