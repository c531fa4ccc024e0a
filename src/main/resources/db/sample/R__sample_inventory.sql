-- Sample inventory schema (进销存) for the demo and the tests. Applied only when the sample location
-- is enabled (dev mode, tests, or CDC_SAMPLE_SCHEMA=true); never against a real inventory database
-- unless asked. Repeatable so it never collides with the service's versioned migrations.
CREATE TABLE IF NOT EXISTS suppliers (
    id            CHAR(36)      NOT NULL,
    name          VARCHAR(200)  NOT NULL,
    contact_name  VARCHAR(100)  NULL,
    phone         VARCHAR(40)   NULL,
    email         VARCHAR(200)  NULL,
    city          VARCHAR(100)  NULL,
    address       VARCHAR(500)  NULL,
    rating        DECIMAL(3, 2) NULL,
    -- internal: payment terms negotiated with the supplier, not for the bot
    payment_terms VARCHAR(200)  NULL,
    created_at    DATETIME      NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    DATETIME      NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    INDEX idx_suppliers_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS products (
    id             CHAR(36)       NOT NULL,
    sku            VARCHAR(64)    NOT NULL,
    name           VARCHAR(200)   NOT NULL,
    category       VARCHAR(100)   NULL,
    description    TEXT           NULL,
    unit           VARCHAR(20)    NOT NULL DEFAULT 'pcs',
    unit_price     DECIMAL(12, 2) NOT NULL,
    -- internal: purchase cost; a sync configuration normally filters it out
    cost_price     DECIMAL(12, 2) NULL,
    stock_quantity INT            NOT NULL DEFAULT 0,
    supplier_id    CHAR(36)       NULL,
    is_active      TINYINT(1)     NOT NULL DEFAULT 1,
    created_at     DATETIME       NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at     DATETIME       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uk_products_sku (sku),
    INDEX idx_products_supplier (supplier_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS inventory_records (
    id          CHAR(36)                       NOT NULL,
    product_id  CHAR(36)                       NOT NULL,
    warehouse   VARCHAR(100)                   NOT NULL,
    change_type ENUM('IN', 'OUT', 'ADJUST')    NOT NULL,
    quantity    INT                            NOT NULL,
    unit_cost   DECIMAL(12, 2)                 NULL,
    operator    VARCHAR(100)                   NULL,
    note        VARCHAR(500)                   NULL,
    recorded_at DATETIME(3)                    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    INDEX idx_inventory_records_product (product_id),
    INDEX idx_inventory_records_recorded (recorded_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
