package io.cozecdc.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Plain JDBC against the test database, for arranging rows and checking what the service wrote.
 * Deliberately independent of the service's reactive repositories.
 */
public final class TestDb {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public TestDb(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs one statement with bound parameters; returns the update count. */
    public int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs statements as plain text (DDL, scripts), one after another, on one connection. */
    public void execute(String... statements) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Rows as ordered column → value maps. */
    public List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The single value of a one-row, one-column query. */
    public Object scalar(String sql, Object... params) {
        List<Map<String, Object>> rows = query(sql, params);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row, got " + rows.size() + ": " + sql);
        }
        return rows.get(0).values().iterator().next();
    }

    public long count(String sql, Object... params) {
        return ((Number) scalar(sql, params)).longValue();
    }

    /** Change-log rows of a table, oldest first. */
    public List<Map<String, Object>> changes(String table) {
        return query("SELECT * FROM data_change_logs WHERE table_name = ? ORDER BY id", table);
    }

    public static JsonNode json(Object value) {
        try {
            return JSON.readTree(String.valueOf(value));
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + value, e);
        }
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }
}
