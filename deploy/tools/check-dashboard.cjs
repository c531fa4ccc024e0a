#!/usr/bin/env node
// Checks deploy/grafana/coze-cdc-dashboard.json:
//  - it parses as JSON (the error shows line and column);
//  - its shape: a ${DS_PROMETHEUS} datasource input used by every panel and query, unique panel ids,
//    panels inside the 24-column grid, at least one query per panel, unique refIds per panel;
//  - every metric name in it (and in the extra files given, e.g. the alert rules) is one the service
//    exposes, so a misspelt metric is caught before it shows an empty panel or a silent alert;
//  - every PromQL query is written, with Grafana's variables replaced, into OUT_RULES as a recording
//    rule, so that `promtool check rules OUT_RULES` (run by deploy/check.sh) parses each query.
// usage: node check-dashboard.cjs DASHBOARD.json OUT_RULES.json [FILE_TO_SCAN_FOR_METRIC_NAMES...]
"use strict";

const fs = require("fs");

// The service's metrics, as Prometheus names them (docs/operations.md, design section 4).
const KNOWN_METRICS = new Set([
  "cdc_pending_changes",
  "cdc_oldest_pending_age_seconds",
  "cdc_changes_processed_total",
  "cdc_sync_lag_seconds_bucket", "cdc_sync_lag_seconds_count", "cdc_sync_lag_seconds_sum",
  "cdc_sync_ready_lag_seconds_bucket", "cdc_sync_ready_lag_seconds_count", "cdc_sync_ready_lag_seconds_sum",
  "cdc_sync_failures",
  "coze_requests_seconds_count", "coze_requests_seconds_sum", "coze_requests_seconds_max",
  "cdc_batch_size_count", "cdc_batch_size_sum", "cdc_batch_size_max",
  "cdc_config_status",
  "cdc_last_poll_timestamp_seconds",
  "cdc_documents_processing",
  "cdc_documents_failed_total",
  "cdc_documents_oversized_total",
  "cdc_fanout_jobs", "cdc_fanout_documents_total",
  "coze_rate_limit_per_second", "coze_rate_limit_max_per_second",
  "coze_calls_in_flight", "coze_calls_waiting",
]);
const METRIC_TOKEN = /\b(?:cdc|coze)_[a-z0-9_]+\b/g;

function lineCol(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `line ${line}, column ${offset - before.lastIndexOf("\n")}`;
}

function main() {
  const [dashboardFile, outRules, ...scanFiles] = process.argv.slice(2);
  if (!dashboardFile || !outRules) {
    console.error("usage: check-dashboard.cjs DASHBOARD.json OUT_RULES.json [FILE...]");
    process.exit(2);
  }
  const text = fs.readFileSync(dashboardFile, "utf8");
  let dash;
  try {
    dash = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(e.message);
    console.error(`${dashboardFile}: invalid JSON: ${e.message}${m ? ` (${lineCol(text, Number(m[1]))})` : ""}`);
    process.exit(1);
  }
  console.log(`    ${dashboardFile}: valid JSON`);

  const errors = [];
  const check = (cond, msg) => { if (!cond) errors.push(msg); };
  check(typeof dash.title === "string" && dash.title, "title is missing");
  check(typeof dash.uid === "string" && dash.uid, "uid is missing");
  check(Number.isInteger(dash.schemaVersion) && dash.schemaVersion >= 36, "schemaVersion must be an integer >= 36");
  const inputs = Array.isArray(dash.__inputs) ? dash.__inputs : [];
  check(inputs.some((i) => i.name === "DS_PROMETHEUS" && i.type === "datasource" && i.pluginId === "prometheus"),
    "__inputs must declare the DS_PROMETHEUS datasource input");
  check(Array.isArray(dash.panels) && dash.panels.length > 0, "no panels");

  const isDs = (ds) => ds && ds.type === "prometheus" && ds.uid === "${DS_PROMETHEUS}";
  const ids = new Set();
  const queries = [];
  const panels = [];
  for (const p of dash.panels || []) {
    panels.push(p);
    if (Array.isArray(p.panels)) panels.push(...p.panels); // collapsed rows
  }
  for (const p of panels) {
    const name = `panel ${p.id} "${p.title}"`;
    check(Number.isInteger(p.id), `${name}: id must be an integer`);
    check(!ids.has(p.id), `${name}: duplicate id`);
    ids.add(p.id);
    const g = p.gridPos || {};
    check([g.x, g.y, g.w, g.h].every(Number.isInteger) && g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0,
      `${name}: gridPos must lie within the 24-column grid`);
    if (p.type === "row") continue;
    check(typeof p.title === "string" && p.title.length > 0, `panel ${p.id}: title is missing`);
    check(isDs(p.datasource), `${name}: datasource must be {type: prometheus, uid: \${DS_PROMETHEUS}}`);
    const targets = Array.isArray(p.targets) ? p.targets : [];
    check(targets.length > 0, `${name}: no queries`);
    const refIds = new Set();
    for (const t of targets) {
      check(typeof t.refId === "string" && !refIds.has(t.refId), `${name}: refIds must be unique`);
      refIds.add(t.refId);
      check(isDs(t.datasource), `${name} ${t.refId}: datasource must be \${DS_PROMETHEUS}`);
      check(typeof t.expr === "string" && t.expr.trim(), `${name} ${t.refId}: expr is empty`);
      if (typeof t.expr === "string") queries.push({ where: `${name} ${t.refId}`, expr: t.expr });
    }
  }
  for (const v of (dash.templating && dash.templating.list) || []) {
    if (v.type === "query") {
      check(isDs(v.datasource), `variable ${v.name}: datasource must be \${DS_PROMETHEUS}`);
    }
  }

  // Metric names: the dashboard's queries and variables, and the extra files.
  const unknown = (source, body) => {
    for (const token of body.match(METRIC_TOKEN) || []) {
      if (!KNOWN_METRICS.has(token)) errors.push(`${source}: unknown metric ${token}`);
    }
  };
  for (const q of queries) unknown(q.where, q.expr);
  for (const v of (dash.templating && dash.templating.list) || []) unknown(`variable ${v.name}`, JSON.stringify(v.query || ""));
  for (const f of scanFiles) {
    // Only PromQL: skip YAML comments and the alert names/annotations (CdcXxx, prose).
    const lines = fs.readFileSync(f, "utf8").split("\n");
    lines.forEach((line, i) => {
      if (/^\s*#/.test(line) || /^\s*(summary|description|runbook_url|alert|- alert|name|- name):/.test(line)) return;
      unknown(`${f}:${i + 1}`, line.replace(/#.*$/, ""));
    });
  }

  if (errors.length > 0) {
    console.error(`Dashboard check FAILED (${errors.length} problem(s)):`);
    for (const e of [...new Set(errors)]) console.error(`  - ${e}`);
    process.exit(1);
  }

  // Grafana variables -> values promtool can parse.
  const substitute = (expr) => expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}/g, "5m")
    .replace(/\$__interval|\$\{__interval\}/g, "1m")
    .replace(/\$__range|\$\{__range\}/g, "1h")
    .replace(/\$\{?(namespace|config)(?::[a-z]+)?\}?/g, ".*");
  const rules = {
    groups: [{
      name: "dashboard-queries",
      rules: queries.map((q, i) => ({ record: `dashboard:query_${i + 1}`, expr: substitute(q.expr) })),
    }],
  };
  fs.writeFileSync(outRules, JSON.stringify(rules, null, 2) + "\n");
  console.log(`    ${panels.length} panels (${panels.filter((p) => p.type === "row").length} rows), ` +
    `${queries.length} queries, ${ids.size} unique ids; metric names known; queries written to ${outRules}`);
}

main();
