package io.cozecdc.sync.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vertx.core.json.JsonObject;

import io.cozecdc.changelog.Change;
import io.cozecdc.changelog.ChangeData;
import io.cozecdc.changelog.Operation;
import io.cozecdc.configs.ConfigStatus;
import io.cozecdc.configs.SyncConfig;

/**
 * Issue 19, item 3: the same row gives the same document text whether its change_data came from
 * MariaDB or from MySQL 8. Each case is one column type, its value as MariaDB 10.11's JSON_OBJECT prints
 * it (checked on the embedded MariaDB, as the HostileDataTest oracle encodes it), and as MySQL 8 prints
 * it. MySQL was not run here: its forms come from its documentation and source, cited per case:
 * <ul>
 * <li>[JSON] MySQL 8.0 Reference Manual, "The JSON Data Type", https://dev.mysql.com/doc/refman/8.0/en/json.html
 * (a DATETIME in JSON: {@code "2015-07-29 12:18:29.000000"}; "MySQL also sorts the keys of a JSON object");
 * <li>[CREATE] "Functions That Create JSON Values", https://dev.mysql.com/doc/refman/8.0/en/json-creation-functions.html
 * ({@code JSON_ARRAY(1, "abc", NULL, TRUE, CURTIME())} gives {@code "11:30:24.000000"});
 * <li>[SRC] mysql/mysql-server, sql/item_json_func.cc {@code sql_scalar_to_json}: MYSQL_TYPE_NEWDECIMAL becomes a
 * Json_decimal printed with its scale (so CAST(change_data AS CHAR) gives {@code 10.00}), MYSQL_TYPE_FLOAT becomes a
 * Json_double of the widened value ({@code 1.1} prints as {@code 1.100000023841858});
 * <li>[VERTX] without the cast, the reactive client decodes a JSON column into a Vert.x JsonObject, which
 * parses fractions as doubles (vertx-core JacksonCodec): DECIMAL 10.00 arrives as 10.0 (review finding 3).
 * </ul>
 */
class CrossServerTextTest {

    final RowRenderer renderer = new RowRenderer(new TemplateEngine().engine());

    static Stream<Arguments> columnTypes() {
        return Stream.of(
                // data type, column type, MariaDB's JSON value, MySQL's JSON value, expected text
                Arguments.of("decimal", "decimal(10,2)", "10.00", "10.00", "10.00"), // [SRC] through the cast
                Arguments.of("decimal", "decimal(10,2)", "10.00", json("10.00"), "10.00"), // [VERTX] 10.0
                Arguments.of("decimal", "decimal(10,6)", "0.000001", json("0.000001"), "0.000001"), // [VERTX] 1.0E-6
                Arguments.of("decimal", "decimal(20,6)", "12345678901234.123456", "12345678901234.123456",
                        "12345678901234.123456"), // [SRC] exact through the cast
                Arguments.of("decimal", "decimal(10,0)", "42", "42", "42"),
                Arguments.of("datetime", "datetime", "\"2024-01-02 03:04:05\"", "\"2024-01-02 03:04:05.000000\"",
                        "2024-01-02 03:04:05"), // [JSON]
                Arguments.of("datetime", "datetime(3)", "\"2024-01-02 03:04:05.120\"", "\"2024-01-02 03:04:05.120000\"",
                        "2024-01-02 03:04:05.120"), // [JSON] six digits whatever the precision
                Arguments.of("timestamp", "timestamp", "\"2024-01-02 03:04:05\"", "\"2024-01-02 03:04:05.000000\"",
                        "2024-01-02 03:04:05"), // [JSON]
                Arguments.of("timestamp", "timestamp(6)", "\"2024-01-02 03:04:05.123456\"",
                        "\"2024-01-02 03:04:05.123456\"", "2024-01-02 03:04:05.123456"),
                Arguments.of("time", "time", "\"10:00:00\"", "\"10:00:00.000000\"", "10:00:00"), // [CREATE]
                Arguments.of("time", "time(2)", "\"-838:59:59.50\"", "\"-838:59:59.500000\"", "-838:59:59.50"), // [CREATE]
                Arguments.of("date", "date", "\"2024-01-02\"", "\"2024-01-02\"", "2024-01-02"),
                Arguments.of("float", "float", "1.1", "1.100000023841858", "1.1"), // [SRC]
                Arguments.of("float", "float", "1024.12", "1024.125", "1024.12"), // [SRC]; MariaDB: 6 digits, tie to even
                Arguments.of("float", "float", "-0.000123457", "-0.00012345679", "-0.000123457"),
                Arguments.of("double", "double", "0.1", "0.1", "0.1"),
                Arguments.of("int", "int(11)", "-7", "-7", "-7"),
                Arguments.of("bigint", "bigint(20) unsigned", "18446744073709551615", "18446744073709551615",
                        "18446744073709551615"),
                Arguments.of("bit", "bit(8)", "5", "5", "5"), // CAST(b AS UNSIGNED) in the trigger, both servers
                Arguments.of("blob", "blob", "\"AAEC\"", "\"AAEC\"", "AAEC"), // TO_BASE64 in the trigger, both servers
                Arguments.of("varchar", "varchar(40)", "\"A1 \"", "\"A1 \"", "A1 "),
                Arguments.of("enum", "enum('a','b')", "\"b\"", "\"b\"", "b"));
    }

    @ParameterizedTest(name = "{1}: MariaDB {2} and MySQL {3} both render as {4}")
    @MethodSource("columnTypes")
    void eachColumnTypeRendersTheSameFromBothServers(String dataType, String columnType, String mariadb, String mysql,
            String expected) {
        List<ColumnFormat> columns = List.of(new ColumnFormat("v", dataType, columnType));
        String fromMariaDb = renderer.render(config(), change("{\"v\": " + mariadb + "}"), columns).text();
        String fromMySql = renderer.render(config(), change("{\"v\": " + mysql + "}"), columns).text();
        assertThat(fromMariaDb).isEqualTo("v: " + expected + "\n");
        assertThat(fromMySql).isEqualTo(fromMariaDb);
    }

    @Test
    void linesFollowTheTableNotMySqlsSortedKeys() {
        List<ColumnFormat> columns = List.of(new ColumnFormat("id", "int", "int(11)"),
                new ColumnFormat("sku", "varchar", "varchar(32)"), new ColumnFormat("unit_price", "decimal", "decimal(10,2)"),
                new ColumnFormat("name", "varchar", "varchar(80)"), new ColumnFormat("created_at", "datetime", "datetime"));
        // MariaDB keeps JSON_OBJECT's argument order, the ordinal order
        String mariadb = "{\"id\": 1, \"sku\": \"W-1\", \"unit_price\": 10.00, \"name\": \"扳手\", "
                + "\"created_at\": \"2024-01-02 03:04:05\"}";
        // [JSON] MySQL sorts keys by length, then bytewise (sql-common/json_dom.cc Json_key_comparator)
        String mysql = "{\"id\": 1, \"sku\": \"W-1\", \"name\": \"扳手\", \"created_at\": \"2024-01-02 03:04:05.000000\", "
                + "\"unit_price\": 10.00}";
        String fromMariaDb = renderer.render(config(), change(mariadb), columns).text();
        assertThat(fromMariaDb).isEqualTo("id: 1\nsku: W-1\nunit_price: 10.00\nname: 扳手\ncreated_at: 2024-01-02 03:04:05\n");
        assertThat(renderer.render(config(), change(mysql), columns).text()).isEqualTo(fromMariaDb);
        assertThat(renderer.render(config(), change(mysql), columns).hash())
                .isEqualTo(renderer.render(config(), change(mariadb), columns).hash());
    }

    @Test
    void aColumnTheTableNoLongerHasStillRendersAfterTheOthers() {
        List<ColumnFormat> columns = List.of(new ColumnFormat("id", "int", "int(11)"));
        assertThat(renderer.render(config(), change("{\"old\": \"x\", \"id\": 1}"), columns).text()).isEqualTo("id: 1\nold: x\n");
    }

    /** What the MySQL path gave before the cast: the JSON column decoded by Vert.x, re-encoded as text. */
    private static String json(String number) {
        return new JsonObject("{\"v\": " + number + "}").getValue("v").toString();
    }

    private static Change change(String data) {
        return new Change(5, "t", "1", Operation.UPDATE, ChangeData.parse(data), Instant.EPOCH, null);
    }

    private static SyncConfig config() {
        return new SyncConfig(1, "c", "t", 7, List.of(), null, true, ConfigStatus.ACTIVE, null, Instant.EPOCH, Instant.EPOCH);
    }
}
