#!/usr/bin/env node
// Validates Kubernetes manifests offline, in two passes:
//  1. JSON Schema: every object is checked against the schema of its apiVersion/kind, bundled in the
//     npm packages `kubernetes-models` (Kubernetes 1.27 OpenAPI) and
//     `@kubernetes-models/prometheus-operator` (ServiceMonitor, PrometheusRule, ... CRDs). Catches wrong
//     types, missing required fields, bad enum values and formats.
//  2. Strict fields: the same objects are type-checked by the TypeScript compiler against those
//     packages' type declarations, which rejects unknown fields at any depth (a misspelt
//     `readinesProbe` or `maxUnavailabe`), the way `kubectl apply` does with strict field validation.
// An object whose apiVersion/kind has no bundled schema is an error, not a skip.
//
// usage: node validate-manifests.cjs --work DIR [--rendered FILE] FILE...
//   --work DIR       a directory beside the installed node_modules, for the generated TypeScript
//   --rendered FILE  `kubectl kustomize` output: validated too, and it must hold exactly the objects
//                    of the FILEs, less those of *.example.yaml files (templates users fill in).
// Run by deploy/check.sh with NODE_PATH pointing at the installed packages.
"use strict";

const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const yaml = require("js-yaml");

function parseArgs(argv) {
  const opts = { files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--work") opts.work = argv[++i];
    else if (argv[i] === "--rendered") opts.rendered = argv[++i];
    else opts.files.push(argv[i]);
  }
  if (!opts.work || opts.files.length === 0) {
    console.error("usage: validate-manifests.cjs --work DIR [--rendered FILE] FILE...");
    process.exit(2);
  }
  return opts;
}

/** The module path and export of the model for an apiVersion/kind, or null. */
function modelFor(apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const candidates =
    group === "monitoring.coreos.com"
      ? [`@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`]
      : group === ""
        ? [`kubernetes-models/${version}/${kind}`]
        : [`kubernetes-models/${group}/${version}/${kind}`];
  for (const modulePath of candidates) {
    try {
      const mod = require(modulePath);
      if (typeof mod[kind] === "function") return { modulePath, ctor: mod[kind] };
    } catch (e) {
      if (e.code !== "MODULE_NOT_FOUND") throw e;
    }
  }
  return null;
}

function loadDocs(file) {
  const text = fs.readFileSync(file, "utf8");
  let docs;
  try {
    docs = yaml.loadAll(text);
  } catch (e) {
    return { error: `YAML does not parse: ${e.message}` };
  }
  return { docs: docs.filter((d) => d !== null && d !== undefined) };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const errors = [];
  const checked = []; // { where, id, modulePath, doc }
  const sourceIds = new Set();
  const renderedIds = new Set();

  const inputs = opts.files.map((f) => ({ file: f, rendered: false }));
  if (opts.rendered) inputs.push({ file: opts.rendered, rendered: true });

  for (const { file, rendered } of inputs) {
    const loaded = loadDocs(file);
    if (loaded.error) {
      errors.push(`${file}: ${loaded.error}`);
      continue;
    }
    if (loaded.docs.length === 0) errors.push(`${file}: no Kubernetes object in the file`);
    loaded.docs.forEach((doc, index) => {
      const where = `${rendered ? "kustomize output" : file}#${index + 1}`;
      if (typeof doc !== "object" || Array.isArray(doc)) {
        errors.push(`${where}: not a Kubernetes object`);
        return;
      }
      const { apiVersion, kind } = doc;
      const name = doc.metadata && doc.metadata.name;
      if (typeof apiVersion !== "string" || typeof kind !== "string" || typeof name !== "string") {
        errors.push(`${where}: apiVersion, kind and metadata.name are required`);
        return;
      }
      const id = `${apiVersion} ${kind} ${name}`;
      if (rendered) renderedIds.add(id);
      else if (!file.endsWith(".example.yaml")) sourceIds.add(id);
      const model = modelFor(apiVersion, kind);
      if (!model) {
        errors.push(`${where}: ${id}: no bundled schema for ${apiVersion}/${kind}`);
        return;
      }
      try {
        new model.ctor(doc).validate();
      } catch (e) {
        errors.push(`${where}: ${id}: schema: ${e.message}`);
      }
      checked.push({ where, id, modulePath: model.modulePath, kind, doc });
    });
  }

  if (opts.rendered) {
    for (const id of sourceIds) {
      if (!renderedIds.has(id)) errors.push(`kustomize output lacks ${id}: is its file listed in kustomization.yaml?`);
    }
    for (const id of renderedIds) {
      if (!sourceIds.has(id)) errors.push(`kustomize output has ${id}, which no checked source file defines`);
    }
  }

  // Pass 2: strict fields, via the TypeScript compiler's excess-property checks.
  fs.mkdirSync(opts.work, { recursive: true });
  const lines = ["// Generated by deploy/tools/validate-manifests.cjs: each manifest as a typed constant.", ""];
  const spans = []; // [firstLine, lastLine, where, id]
  checked.forEach((c, i) => {
    lines.push(`import type { I${c.kind} as T${i} } from ${JSON.stringify(c.modulePath)};`);
  });
  lines.push("");
  checked.forEach((c, i) => {
    const body = `export const m${i}: T${i} = ${JSON.stringify(c.doc, null, 2)};`.split("\n");
    const first = lines.length + 1;
    lines.push(...body);
    spans.push([first, lines.length, c.where, c.id]);
  });
  const tsFile = path.join(opts.work, "manifests.ts");
  fs.writeFileSync(tsFile, lines.join("\n") + "\n");
  fs.writeFileSync(
    path.join(opts.work, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, skipLibCheck: true, types: [], target: "es2020",
        module: "commonjs", moduleResolution: "node", esModuleInterop: true,
      },
      files: ["manifests.ts"],
    }, null, 2),
  );
  const tsc = require.resolve("typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", opts.work, "--pretty", "false"], { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    const out = `${e.stdout || ""}${e.stderr || ""}`.trim();
    let mapped = 0;
    for (const line of out.split("\n")) {
      const m = /manifests\.ts\((\d+),\d+\): error (TS\d+: .*)$/.exec(line);
      if (!m) continue;
      const n = Number(m[1]);
      const span = spans.find(([a, b]) => n >= a && n <= b);
      const snippet = lines[n - 1].trim().slice(0, 120);
      const message = m[2].length > 240 ? `${m[2].slice(0, 240)}...` : m[2];
      errors.push(`${span ? `${span[2]}: ${span[3]}` : "manifests.ts"}: strict: ${message} (at \`${snippet}\`)`);
      mapped++;
    }
    if (mapped === 0) errors.push(`TypeScript check failed:\n${out}`);
  }

  const files = new Set(inputs.map((i) => i.file)).size;
  if (errors.length > 0) {
    console.error(`Manifest validation FAILED (${errors.length} problem(s)):`);
    for (const e of errors) console.error(`  - ${e}`);
    process.exit(1);
  }
  for (const c of checked) console.log(`    valid: ${c.where}: ${c.id}`);
  console.log(`${checked.length} objects in ${files} files valid (JSON Schema + strict fields)`);
}

main();
