#!/usr/bin/env node
// Validates rendered Kubernetes manifests offline against the Kubernetes API schemas.
//
//   node scripts/validate-k8s-objects.mjs [--node-modules DIR] [--herald]
//        [--expect-configmap-key KEY=FILE]... [--expect-pipelines-from-image] MANIFEST.yaml...
//
// For every object in every YAML document:
//   1. apiVersion/kind is mapped to its kubernetes-models class (kubernetes-models/<apiVersion>, export <kind>);
//      an apiVersion or kind that package does not know (a CRD, a typo, a removed API) is an error;
//   2. the class's validate() checks it against the Kubernetes OpenAPI schema (types, enums, required fields);
//   3. every field is checked to exist in the schema: validate() accepts unknown fields, which is how a
//      mis-indented Helm template usually shows (the API server rejects them with strict field validation);
//   4. references inside the release are checked: selectors match pod labels, Service target ports and probe
//      ports name container ports, volume mounts name volumes, env names are valid and unique, the HPA and
//      RoleBinding point at rendered objects.
// --herald adds Herald's deployment contract (see docs/DEPLOYING.md): Orleans labels and environment, probes,
// security context, no secret in a plain env value, the pipelines folder. When an init container assembles
// that folder, its script is run with sh on sample folders (an image folder with news.yaml and a model, the
// ConfigMap's rendered files) and the folder it produces is compared with what the chart promises: the
// ConfigMap's definitions replace the image's, and without any the image's are kept.
// --expect-configmap-key KEY=FILE asserts that a rendered ConfigMap has data[KEY] equal to FILE's content.
// --expect-pipelines-from-image asserts that the silo runs the image's own pipeline definitions: an init
// container fills /etc/herald/pipelines from the image alone, with no pipelines ConfigMap.
//
// kubernetes-models and yaml are loaded from --node-modules (default:
// ${XDG_CACHE_HOME:-~/.cache}/herald-tools/node/node_modules), where scripts/validate-helm.sh installs them.
// Exit code 0 when every object is valid, 1 otherwise, 2 on bad usage.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";

// ---------------------------------------------------------------- arguments
const args = process.argv.slice(2);
let nodeModules = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "herald-tools", "node", "node_modules");
let heraldContract = false;
let expectPipelinesFromImage = false;
const expectConfigMapKeys = [];
const files = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--node-modules") nodeModules = args[++i];
  else if (a === "--herald") heraldContract = true;
  else if (a === "--expect-pipelines-from-image") expectPipelinesFromImage = true;
  else if (a === "--expect-configmap-key") {
    const [key, ...rest] = (args[++i] ?? "").split("=");
    if (!key || rest.length === 0) usage(`--expect-configmap-key needs KEY=FILE`);
    expectConfigMapKeys.push({ key, file: rest.join("=") });
  } else if (a.startsWith("--")) usage(`unknown option ${a}`);
  else files.push(a);
}
if (files.length === 0) usage("no manifest files given");
if (expectPipelinesFromImage && !heraldContract) usage("--expect-pipelines-from-image needs --herald");

function usage(message) {
  console.error(`validate-k8s-objects: ${message}`);
  console.error("usage: node scripts/validate-k8s-objects.mjs [--node-modules DIR] [--herald] [--expect-configmap-key KEY=FILE]... [--expect-pipelines-from-image] MANIFEST.yaml...");
  process.exit(2);
}

const modelsDir = path.join(nodeModules, "kubernetes-models");
const apimachineryDir = path.join(nodeModules, "@kubernetes-models", "apimachinery");
for (const dir of [modelsDir, apimachineryDir, path.join(nodeModules, "yaml")]) {
  if (!fs.existsSync(dir)) usage(`${dir} is missing: run scripts/validate-helm.sh (it installs kubernetes-models and yaml) or pass --node-modules`);
}
const YAML = (await import(pathToFileURL(path.join(nodeModules, "yaml", "dist", "index.js")).href)).default;

// ---------------------------------------------------------------- field index from the models' type declarations
// kubernetes-models' compiled validators ignore unknown properties, but each model's .d.ts lists its fields
// ("name"?: Type;). Index every interface by its global name (IIoK8sApiCoreV1Container) to walk objects.
const interfaces = new Map(); // global name -> { file, local }
function indexDeclarations(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "_schemas" && entry.name !== "node_modules") indexDeclarations(full);
    } else if (entry.name.endsWith(".d.ts")) {
      const text = fs.readFileSync(full, "utf8");
      for (const m of text.matchAll(/export type \{ (I\w+) as (IIoK8s\w+)/g)) interfaces.set(m[2], { file: full, local: m[1] });
    }
  }
}
indexDeclarations(modelsDir);
indexDeclarations(apimachineryDir);

const parsedInterfaces = new Map(); // "file#local" -> Map(field -> type text)
function interfaceFields(file, local) {
  const cacheKey = `${file}#${local}`;
  if (parsedInterfaces.has(cacheKey)) return parsedInterfaces.get(cacheKey);
  const text = fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  const start = text.search(new RegExp(`export interface ${local}\\b[^{]*\\{`));
  if (start < 0) throw new Error(`interface ${local} not found in ${file}`);
  const header = text.slice(start, text.indexOf("{", start));
  const fields = new Map();
  if (/extends\s+TypeMeta\b/.test(header)) {
    fields.set("apiVersion", "string");
    fields.set("kind", "string");
  }
  // Walk the body; fields are the "name": entries at depth 1, their type runs to the ';' at depth 1.
  let depth = 0, i = text.indexOf("{", start), current = null, typeText = "";
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === "{") { depth++; if (depth === 1) continue; }
    if (c === "}") { depth--; if (depth === 0) break; }
    if (depth === 1 && current === null) {
      const m = /^\s*"([^"]+)"\??:\s*/.exec(text.slice(i, i + 300));
      if (m) { current = m[1]; typeText = ""; i += m[0].length - 1; continue; }
    }
    if (current !== null) {
      if (c === ";" && depth === 1) { fields.set(current, typeText.trim()); current = null; }
      else typeText += c;
    }
  }
  parsedInterfaces.set(cacheKey, fields);
  return fields;
}

// The interface a field's type refers to, if it is a model (IIoK8s...), or an Array of one.
function referencedInterface(typeText) {
  const m = /^(?:Array<)?(IIoK8s\w+)>?$/.exec(typeText.replace(/\s+/g, ""));
  return m && interfaces.has(m[1]) ? m[1] : null;
}

function unknownFields(value, file, local, at, problems) {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    value.forEach((item, n) => unknownFields(item, file, local, `${at}[${n}]`, problems));
    return;
  }
  const fields = interfaceFields(file, local);
  for (const [key, child] of Object.entries(value)) {
    if (!fields.has(key)) {
      problems.push(`${at || "."}: unknown field "${key}"`);
      continue;
    }
    const ref = referencedInterface(fields.get(key));
    if (ref) {
      const target = interfaces.get(ref);
      unknownFields(child, target.file, target.local, `${at}.${key}`, problems);
    }
  }
}

// ---------------------------------------------------------------- model classes
async function modelClass(apiVersion, kind) {
  if (typeof apiVersion !== "string" || !/^[a-z0-9.]*\/?v[0-9a-z]+$/.test(apiVersion)) return { error: `invalid apiVersion ${JSON.stringify(apiVersion)}` };
  if (typeof kind !== "string" || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return { error: `invalid kind ${JSON.stringify(kind)}` };
  const moduleFile = path.join(modelsDir, ...apiVersion.split("/"), `${kind}.js`);
  if (!fs.existsSync(moduleFile)) return { error: `unknown kind: ${apiVersion} ${kind} is not a Kubernetes API type (kubernetes-models has no such class)` };
  const module = await import(pathToFileURL(moduleFile).href);
  const cls = module[kind];
  if (typeof cls !== "function" || cls.apiVersion !== apiVersion || cls.kind !== kind) return { error: `unknown kind: ${apiVersion} ${kind}` };
  return { cls, declarations: moduleFile.replace(/\.js$/, ".d.ts"), local: `I${kind}` };
}

// ---------------------------------------------------------------- load the manifests
const objects = []; // { file, index, object }
const problemsOf = new Map(); // object entry -> [problem]
const globalProblems = [];
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  const documents = YAML.parseAllDocuments(text, { uniqueKeys: true });
  documents.forEach((doc, index) => {
    if (doc.errors.length) {
      globalProblems.push(`${file} document ${index + 1}: YAML error: ${doc.errors.map((e) => e.message).join("; ")}`);
      return;
    }
    const object = doc.toJS();
    if (object === null || object === undefined) return; // empty document (a template that rendered nothing)
    objects.push({ file, index, object });
  });
}

const nameOf = (o) => `${o?.kind ?? "?"}/${o?.metadata?.name ?? "?"}`;
function problem(entry, message) {
  if (!problemsOf.has(entry)) problemsOf.set(entry, []);
  problemsOf.get(entry).push(message);
}

// ---------------------------------------------------------------- 1-3: schema and fields
for (const entry of objects) {
  const { object } = entry;
  if (typeof object !== "object" || Array.isArray(object)) { problem(entry, "not a mapping"); continue; }
  const resolved = await modelClass(object.apiVersion, object.kind);
  if (resolved.error) { problem(entry, resolved.error); continue; }
  try {
    new resolved.cls(object).validate();
  } catch (e) {
    for (const line of String(e.message).split(/, (?=data)/)) problem(entry, `schema: ${line.replace(/^data/, "")}`);
  }
  const fieldProblems = [];
  unknownFields(object, resolved.declarations, resolved.local, "", fieldProblems);
  fieldProblems.forEach((p) => problem(entry, p));
  const name = object.metadata?.name;
  if (typeof name !== "string" || !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name)) problem(entry, `metadata.name ${JSON.stringify(name)} is not a valid object name`);
  if (["Service"].includes(object.kind) && !(typeof name === "string" && /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name))) problem(entry, `Service name ${JSON.stringify(name)} is not a DNS-1035 label (max 63)`);
  for (const [k, v] of Object.entries(object.metadata?.labels ?? {})) {
    if (typeof v !== "string" || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v) || v.length > 63) problem(entry, `label ${k}=${JSON.stringify(v)} is not a valid label value`);
  }
}

// Duplicates.
const seen = new Map();
for (const entry of objects) {
  const key = `${entry.object.apiVersion} ${entry.object.kind} ${entry.object.metadata?.namespace ?? ""}/${entry.object.metadata?.name}`;
  if (seen.has(key)) problem(entry, `duplicate object ${key}`);
  seen.set(key, entry);
}

// ---------------------------------------------------------------- 4: references within the release
const byKind = (kind) => objects.filter((e) => e.object.kind === kind);
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const workloads = [...byKind("Deployment"), ...byKind("StatefulSet"), ...byKind("DaemonSet")];

for (const entry of workloads) {
  const spec = entry.object.spec ?? {};
  const podLabels = spec.template?.metadata?.labels ?? {};
  const pod = spec.template?.spec ?? {};
  if (!matches(spec.selector?.matchLabels, podLabels)) problem(entry, "spec.selector.matchLabels does not match the pod template's labels");
  const volumes = new Set([...(pod.volumes ?? []), ...(spec.volumeClaimTemplates ?? []).map((t) => t.metadata ?? {})].map((v) => v.name));
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
    for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problem(entry, `container ${c.name}: volumeMount ${m.name} names no volume`);
    const envNames = new Set();
    for (const e of c.env ?? []) {
      if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.name ?? "")) problem(entry, `container ${c.name}: env name ${JSON.stringify(e.name)} is invalid`);
      if (envNames.has(e.name)) problem(entry, `container ${c.name}: env ${e.name} is set twice`);
      envNames.add(e.name);
      if (e.value !== undefined && e.valueFrom !== undefined) problem(entry, `container ${c.name}: env ${e.name} has both value and valueFrom`);
    }
    for (const probeName of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      const port = c[probeName]?.httpGet?.port ?? c[probeName]?.tcpSocket?.port;
      if (typeof port === "string" && !portNames.has(port)) problem(entry, `container ${c.name}: ${probeName} port ${port} names no container port`);
    }
    for (const m of c.volumeMounts ?? []) {
      const v = (pod.volumes ?? []).find((x) => x.name === m.name);
      if (v?.configMap && m.readOnly !== true) problem(entry, `container ${c.name}: ConfigMap volume ${m.name} should be mounted readOnly`);
    }
  }
  for (const t of pod.topologySpreadConstraints ?? []) {
    if (t.labelSelector?.matchLabels && !matches(t.labelSelector.matchLabels, podLabels)) problem(entry, `topologySpreadConstraint on ${t.topologyKey} selects other pods than its own`);
  }
}

for (const entry of byKind("Service")) {
  const selector = entry.object.spec?.selector;
  if (!selector) continue;
  const targets = workloads.filter((w) => matches(selector, w.object.spec?.template?.metadata?.labels));
  if (targets.length === 0) { problem(entry, "selector matches no rendered workload"); continue; }
  if (targets.length > 1) problem(entry, `selector matches ${targets.length} workloads`);
  for (const p of entry.object.spec.ports ?? []) {
    if (typeof p.targetPort !== "string") continue;
    const named = targets.some((w) => (w.object.spec.template.spec.containers ?? []).some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort)));
    if (!named) problem(entry, `port ${p.name}: targetPort ${p.targetPort} names no container port`);
  }
}

for (const entry of byKind("PodDisruptionBudget")) {
  if (!workloads.some((w) => matches(entry.object.spec?.selector?.matchLabels, w.object.spec?.template?.metadata?.labels))) problem(entry, "selector matches no rendered workload");
}

for (const entry of byKind("HorizontalPodAutoscaler")) {
  const ref = entry.object.spec?.scaleTargetRef ?? {};
  const target = workloads.find((w) => w.object.kind === ref.kind && w.object.metadata.name === ref.name);
  if (!target) problem(entry, `scaleTargetRef ${ref.kind}/${ref.name} is not rendered`);
  else if (target.object.spec.replicas !== undefined) problem(entry, `${ref.kind}/${ref.name} sets spec.replicas although an HPA owns the replica count`);
  if ((entry.object.spec?.minReplicas ?? 1) > entry.object.spec?.maxReplicas) problem(entry, "minReplicas > maxReplicas");
}

for (const entry of byKind("RoleBinding")) {
  const ref = entry.object.roleRef ?? {};
  if (ref.kind === "Role" && !byKind("Role").some((r) => r.object.metadata.name === ref.name)) problem(entry, `roleRef Role/${ref.name} is not rendered`);
}

// ---------------------------------------------------------------- --herald: the pipelines init container
// The init container gets its folders from env (IMAGE_PIPELINES, PIPELINES_TARGET, PIPELINES_SOURCE when a
// ConfigMap is mounted); its script is run here on sample folders, each scenario compared with what the chart
// promises. configMapEntry is the rendered ConfigMap it mounts (null: none, or one the chart does not render).
const okLines = [];
function checkPipelinesInitContainer(entry, silo, filler, targetVolume, configMapEntry) {
  const say = (message) => problem(entry, `herald: init container ${filler.name}: ${message}`);
  const volumeNamed = (name) => (entry.object.spec.template.spec.volumes ?? []).find((v) => v.name === name);
  const env = new Map((filler.env ?? []).map((e) => [e.name, e.value]));
  const targetMount = (filler.volumeMounts ?? []).find((m) => m.name === targetVolume && !m.readOnly);
  const sourceMount = (filler.volumeMounts ?? []).find((m) => volumeNamed(m.name)?.configMap);
  const before = (problemsOf.get(entry) ?? []).length;
  if (filler.image !== silo.image) say(`must run the silo image ${silo.image} (it copies the image's pipelines folder), runs ${filler.image}`);
  if (!env.get("IMAGE_PIPELINES")?.startsWith("/")) say("env IMAGE_PIPELINES must name the image's pipelines folder");
  if (env.get("PIPELINES_TARGET") !== targetMount.mountPath) say(`env PIPELINES_TARGET must be ${targetMount.mountPath} (the folder it fills), is ${JSON.stringify(env.get("PIPELINES_TARGET"))}`);
  if (sourceMount && env.get("PIPELINES_SOURCE") !== sourceMount.mountPath) say(`env PIPELINES_SOURCE must be ${sourceMount.mountPath} (the ConfigMap mount), is ${JSON.stringify(env.get("PIPELINES_SOURCE"))}`);
  if (!sourceMount && env.has("PIPELINES_SOURCE")) say("env PIPELINES_SOURCE is set, but no ConfigMap is mounted");
  const command = [...(filler.command ?? []), ...(filler.args ?? [])];
  if (command.length < 3 || !/\/sh$/.test(command[0]) || command[1] !== "-c") { say("must run /bin/sh -c SCRIPT"); return; }
  for (const folder of [targetMount.mountPath, sourceMount?.mountPath, env.get("IMAGE_PIPELINES")].filter(Boolean)) {
    if (command[2].includes(folder)) say(`the script names ${folder} itself: it must use the env variables (so that it can be tested)`);
  }
  if ((problemsOf.get(entry) ?? []).length > before) return;

  const image = { "news.yaml": "pipeline: image-news\n", "other.yml": "pipeline: image-other\n", "models/relevance-1.onnx": "onnx model bytes\n" };
  const given = !sourceMount ? null
    : configMapEntry ? { ...(configMapEntry.object.data ?? {}) }
    : { "custom.yaml": "pipeline: custom\n" }; // a ConfigMap the chart does not render (existingPipelinesConfigMap)
  const isDefinition = (name) => /^[^/]+\.ya?ml$/.test(name);
  const expected = (imageFiles, configMapFiles) => {
    const result = {};
    const replace = Object.keys(configMapFiles ?? {}).some(isDefinition);
    for (const [name, text] of Object.entries(imageFiles ?? {})) if (!(replace && isDefinition(name))) result[name] = text;
    return { ...result, ...(configMapFiles ?? {}) };
  };
  const scenarios = [[given ? (configMapEntry ? `ConfigMap ${configMapEntry.object.metadata.name} as rendered` : "a ConfigMap with custom.yaml") : "no ConfigMap: the image's definitions", image, given]];
  if (given) scenarios.push(["an empty ConfigMap: the image's definitions", image, {}]);
  scenarios.push(["no image folder and no definition: fails", null, given ? {} : null]);

  for (const [name, imageFiles, configMapFiles] of scenarios) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "herald-init-"));
    try {
      const imageDir = path.join(dir, "image"), target = path.join(dir, "target"), source = path.join(dir, "source");
      fs.mkdirSync(target);
      if (imageFiles) writeFiles(imageDir, imageFiles);
      if (configMapFiles) writeConfigMapVolume(source, configMapFiles);
      const runEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
      for (const [k, v] of env) if (v !== undefined) runEnv[k] = v;
      Object.assign(runEnv, { IMAGE_PIPELINES: imageDir, PIPELINES_TARGET: target });
      if (sourceMount) runEnv.PIPELINES_SOURCE = source;
      const run = spawnSync(command[0], command.slice(1), { env: runEnv, encoding: "utf8", timeout: 30000 });
      const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.trim().split("\n").slice(-3).join(" | ");
      const want = imageFiles || Object.keys(configMapFiles ?? {}).some(isDefinition) ? expected(imageFiles, configMapFiles) : null;
      if (want === null) {
        if (run.status === 0) say(`${name}: the script succeeded without any pipeline definition`);
        else okLines.push(`init container ${filler.name}, ${name} (exit ${run.status}: ${output})`);
        continue;
      }
      if (run.status !== 0) { say(`${name}: the script failed (exit ${run.status ?? run.signal}): ${output || run.error?.message}`); continue; }
      const got = readFiles(target);
      const names = [...new Set([...Object.keys(got), ...Object.keys(want)])].sort();
      const wrong = names.filter((n) => got[n] !== want[n]);
      if (wrong.length) say(`${name}: the folder holds ${JSON.stringify(Object.keys(got).sort())}, expected ${JSON.stringify(Object.keys(want).sort())}${wrong.every((n) => n in got && n in want) ? ` (content differs: ${wrong.join(", ")})` : ""}`);
      else okLines.push(`init container ${filler.name}, ${name}: ${Object.keys(got).sort().join(", ")}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function writeFiles(root, files) {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
}

// A ConfigMap volume as the kubelet writes it: the files in a timestamped folder, ..data linking to it, and each
// key a symbolic link through ..data.
function writeConfigMapVolume(root, files) {
  const stamp = "..2026_01_01_00_00_00.000000000";
  fs.mkdirSync(path.join(root, stamp), { recursive: true });
  writeFiles(path.join(root, stamp), files);
  fs.symlinkSync(stamp, path.join(root, "..data"));
  for (const name of Object.keys(files)) fs.symlinkSync(path.join("..data", name), path.join(root, name));
}

// Regular files under root, relative path -> text; a symbolic link is reported as such (it would dangle in the pod).
function readFiles(root, prefix = "") {
  const result = {};
  for (const entry of fs.readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const name = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(result, readFiles(root, name));
    else if (entry.isSymbolicLink()) result[name] = "(symbolic link)";
    else result[name] = fs.readFileSync(path.join(root, name), "utf8");
  }
  return result;
}

// ---------------------------------------------------------------- --herald: the silo's deployment contract
if (heraldContract) {
  const silos = byKind("Deployment").filter((d) => d.object.spec?.template?.metadata?.labels?.["app.kubernetes.io/component"] === "silo");
  if (silos.length !== 1) globalProblems.push(`herald: expected exactly one silo Deployment, found ${silos.length}`);
  // The warehouse is one more silo (same contract) that also runs the sink, alone, on its own persistent volume.
  const warehouses = byKind("StatefulSet").filter((s) => s.object.spec?.template?.metadata?.labels?.["app.kubernetes.io/component"] === "warehouse");
  if (warehouses.length > 1) globalProblems.push(`herald: expected at most one warehouse StatefulSet, found ${warehouses.length}`);
  for (const entry of warehouses) {
    const spec = entry.object.spec;
    if (spec.replicas !== 1) problem(entry, "herald: the warehouse has one writer: replicas must be 1");
    const c = (spec.template.spec.containers ?? []).find((x) => x.name === "silo");
    const env = new Map((c?.env ?? []).map((e) => [e.name, e.value]));
    if (env.get("Herald__Warehouse__Enabled") !== "true") problem(entry, "herald: the warehouse silo must set Herald__Warehouse__Enabled=true");
    const mount = (c?.volumeMounts ?? []).find((m) => m.name === "warehouse");
    const claim = (spec.volumeClaimTemplates ?? []).find((t) => t.metadata?.name === "warehouse");
    if (!mount || !claim) problem(entry, "herald: the warehouse needs its volume: a volumeClaimTemplate named warehouse, mounted");
    for (const name of ["Herald__Warehouse__Database", "Herald__Warehouse__Parquet"]) {
      const path = env.get(name);
      if (path && !(mount && path.startsWith(`${mount.mountPath}/`))) problem(entry, `herald: ${name} (${path}) must be on the warehouse volume`);
    }
    if (!env.get("Herald__Warehouse__Database") && !env.get("Herald__Warehouse__Parquet")) problem(entry, "herald: the warehouse writes neither DuckDB nor Parquet");
    if (!byKind("Service").some((svc) => svc.object.metadata.name === spec.serviceName)) problem(entry, `herald: serviceName ${spec.serviceName} names no rendered Service`);
  }
  for (const entry of [...silos, ...warehouses]) {
    const template = entry.object.spec.template;
    const pod = template.spec;
    const labels = template.metadata.labels;
    const c = (pod.containers ?? []).find((x) => x.name === "silo");
    if (!c) { problem(entry, "herald: no container named silo"); continue; }
    const env = new Map((c.env ?? []).map((e) => [e.name, e]));
    const value = (name) => env.get(name)?.value;
    for (const label of ["orleans/serviceId", "orleans/clusterId"]) if (!labels[label]) problem(entry, `herald: pod label ${label} missing`);
    const fieldRefs = { POD_NAME: "metadata.name", POD_NAMESPACE: "metadata.namespace", POD_IP: "status.podIP" };
    for (const [name, fieldPath] of Object.entries(fieldRefs)) {
      if (env.get(name)?.valueFrom?.fieldRef?.fieldPath !== fieldPath) problem(entry, `herald: env ${name} must come from fieldRef ${fieldPath}`);
    }
    for (const [name, label] of [["ORLEANS_SERVICE_ID", "orleans/serviceId"], ["ORLEANS_CLUSTER_ID", "orleans/clusterId"]]) {
      const e = env.get(name);
      if (!e || (e.value !== labels[label] && e.valueFrom?.fieldRef?.fieldPath !== `metadata.labels['${label}']`)) problem(entry, `herald: env ${name} must equal pod label ${label}`);
    }
    const expectValue = { Herald__PipelinesPath: "/etc/herald/pipelines", Herald__Http__Urls: "http://0.0.0.0:8080" };
    for (const [name, v] of Object.entries(expectValue)) if (value(name) !== v) problem(entry, `herald: env ${name} must be ${v}, is ${JSON.stringify(value(name))}`);
    const preStop = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
    const expectedShutdown = String((pod.terminationGracePeriodSeconds ?? 30) - preStop - 10);
    if (value("Herald__ShutdownTimeoutSeconds") !== expectedShutdown) problem(entry, `herald: Herald__ShutdownTimeoutSeconds must be terminationGracePeriodSeconds - preStop sleep - 10 = ${expectedShutdown}, is ${JSON.stringify(value("Herald__ShutdownTimeoutSeconds"))}`);
    if (!["Localhost", "Redis"].includes(value("Herald__Clustering__Provider"))) problem(entry, "herald: Herald__Clustering__Provider must be Localhost or Redis");
    if (!["Memory", "Redis"].includes(value("Herald__Storage__Provider"))) problem(entry, "herald: Herald__Storage__Provider must be Memory or Redis");
    if (!["true", "false"].includes(value("Herald__Clustering__Kubernetes"))) problem(entry, "herald: Herald__Clustering__Kubernetes must be true or false");
    if (value("Herald__Clustering__Provider") === "Redis" && !env.has("Herald__Clustering__Redis")) problem(entry, "herald: Redis clustering without Herald__Clustering__Redis");
    if (value("Herald__Storage__Provider") === "Redis" && !env.has("Herald__Storage__Redis")) problem(entry, "herald: Redis storage without Herald__Storage__Redis");
    if (!value("Herald__Kafka__BootstrapServers")) problem(entry, "herald: Herald__Kafka__BootstrapServers must be set (no embedded broker on Kubernetes)");
    if (!["All", "Complete", "Deltas"].includes(value("Herald__Kafka__Emit"))) problem(entry, "herald: Herald__Kafka__Emit must be All, Complete or Deltas");
    for (const name of ["Herald__Kafka__InputTopic", "Herald__Kafka__AnnotationsTopic", "Herald__Kafka__DeadLetterTopic", "Herald__Kafka__Partitions", "Herald__Kafka__ReplicationFactor", "Herald__Kafka__CreateTopics"]) {
      if (!value(name)) problem(entry, `herald: env ${name} missing`);
    }
    for (const [name, e] of env) {
      const m = /^Herald__Kafka__Pipelines__[a-z0-9._-]+__(\w+)$/.exec(name);
      if (name.startsWith("Herald__Kafka__Pipelines__") && !(m && ["StartFrom", "ConsumerGroup"].includes(m[1]))) problem(entry, `herald: ${name} is not a per-pipeline setting`);
      if (m?.[1] === "StartFrom" && !["Earliest", "Latest"].includes(e.value)) problem(entry, `herald: ${name} must be Earliest or Latest`);
      // Secrets never as plain values.
      if (/password|secret|ApiToken|__Redis$/i.test(name) && e.value !== undefined) problem(entry, `herald: ${name} is a secret but has a plain value; use valueFrom.secretKeyRef`);
      if (/password|secret|ApiToken|__Redis$/i.test(name) && !e.valueFrom?.secretKeyRef) problem(entry, `herald: ${name} must come from a secretKeyRef`);
    }
    if (!env.get("Herald__Http__ApiToken")?.valueFrom?.secretKeyRef) problem(entry, "herald: Herald__Http__ApiToken must come from a Secret");
    const ports = Object.fromEntries((c.ports ?? []).map((p) => [p.name, p.containerPort]));
    for (const [name, port] of Object.entries({ silo: 11111, gateway: 30000, http: 8080 })) if (ports[name] !== port) problem(entry, `herald: container port ${name} must be ${port}`);
    const probePaths = { startupProbe: null, livenessProbe: "/health/live", readinessProbe: "/health/ready" };
    for (const [probe, p] of Object.entries(probePaths)) {
      const get = c[probe]?.httpGet;
      if (!get || get.port !== "http" || (p && get.path !== p)) problem(entry, `herald: ${probe} must GET ${p ?? "a path"} on the http port`);
    }
    const sc = c.securityContext ?? {};
    const psc = pod.securityContext ?? {};
    if (!(sc.runAsNonRoot ?? psc.runAsNonRoot)) problem(entry, "herald: must run as non-root");
    if ((sc.runAsUser ?? psc.runAsUser) !== 10001) problem(entry, "herald: must run as uid 10001");
    if (sc.readOnlyRootFilesystem !== true) problem(entry, "herald: readOnlyRootFilesystem must be true");
    if (sc.allowPrivilegeEscalation !== false) problem(entry, "herald: allowPrivilegeEscalation must be false");
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problem(entry, "herald: capabilities must drop ALL");
    if ((sc.seccompProfile ?? psc.seccompProfile)?.type !== "RuntimeDefault") problem(entry, "herald: seccompProfile must be RuntimeDefault");
    const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
    if (!tmp || !(pod.volumes ?? []).some((v) => v.name === tmp.name && v.emptyDir)) problem(entry, "herald: /tmp must be an emptyDir");
    // /etc/herald/pipelines: the pipelines ConfigMap itself, or an emptyDir an init container assembles from the
    // image's pipelines folder plus, optionally, a pipelines ConfigMap.
    const pipelines = (c.volumeMounts ?? []).find((m) => m.mountPath === "/etc/herald/pipelines");
    const volumeNamed = (name) => (pod.volumes ?? []).find((v) => v.name === name);
    const pipelinesVolume = pipelines && volumeNamed(pipelines.name);
    let pipelinesConfigMap = null; // the ConfigMap volume source the pipeline files come from, if any
    let filler = null; // the init container assembling the folder, if any
    if (!pipelines || pipelines.readOnly !== true) problem(entry, "herald: /etc/herald/pipelines must be mounted read-only");
    else if (pipelinesVolume?.configMap) pipelinesConfigMap = pipelinesVolume.configMap;
    else if (pipelinesVolume?.emptyDir) {
      filler = (pod.initContainers ?? []).find((ic) => (ic.volumeMounts ?? []).some((m) => m.name === pipelines.name && !m.readOnly));
      if (!filler) problem(entry, "herald: /etc/herald/pipelines is an emptyDir that no init container fills");
      else pipelinesConfigMap = (filler.volumeMounts ?? []).map((m) => volumeNamed(m.name)).find((v) => v?.configMap)?.configMap ?? null;
    } else problem(entry, "herald: /etc/herald/pipelines must be the pipelines ConfigMap or an emptyDir an init container fills");
    const cm = pipelinesConfigMap && byKind("ConfigMap").find((x) => x.object.metadata.name === pipelinesConfigMap.name);
    if (cm) {
      if (!template.metadata.annotations?.["checksum/pipelines"]) problem(entry, "herald: pods need a checksum/pipelines annotation to roll when the pipelines change");
      if (Object.keys(cm.object.data ?? {}).filter((k) => /\.ya?ml$/.test(k)).length === 0) problem(cm, "herald: the pipelines ConfigMap has no *.yaml / *.yml file");
    }
    if (filler) checkPipelinesInitContainer(entry, c, filler, pipelines.name, cm);
    if (expectPipelinesFromImage) {
      if (!filler) problem(entry, "herald: expected the image's own pipelines, but no init container copies them from the image");
      else if (pipelinesConfigMap) problem(entry, `herald: expected the image's own pipelines alone, but the init container also mounts ConfigMap ${pipelinesConfigMap.name}`);
    }
    if (!template.metadata.annotations?.["checksum/secret"]) problem(entry, "herald: pods need a checksum/secret annotation");
    // The Role the ServiceAccount needs for UseKubernetesHosting.
    if (value("Herald__Clustering__Kubernetes") === "true") {
      if (pod.automountServiceAccountToken === false) problem(entry, "herald: Kubernetes hosting needs the service account token mounted");
      const roles = byKind("Role").filter((r) => (r.object.rules ?? []).some((rule) => (rule.resources ?? []).includes("pods")));
      const bound = byKind("RoleBinding").some((rb) => roles.some((r) => r.object.metadata.name === rb.object.roleRef?.name) && (rb.object.subjects ?? []).some((s) => s.kind === "ServiceAccount" && s.name === pod.serviceAccountName));
      if (byKind("Role").length > 0) {
        const verbs = new Set(roles.flatMap((r) => r.object.rules.filter((rule) => rule.resources.includes("pods")).flatMap((rule) => rule.verbs)));
        for (const verb of ["get", "list", "watch", "delete"]) if (!verbs.has(verb)) problem(entry, `herald: the pods Role lacks verb ${verb}`);
        if (!bound) problem(entry, `herald: no RoleBinding gives ServiceAccount ${pod.serviceAccountName} the pods Role`);
      }
    }
    // Every secretKeyRef to the chart's own Secret names a key it has.
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      const secret = ref && byKind("Secret").find((s) => s.object.metadata.name === ref.name);
      if (secret && !(ref.key in (secret.object.data ?? {})) && !(ref.key in (secret.object.stringData ?? {}))) problem(entry, `herald: env ${e.name} reads key ${ref.key} that Secret ${ref.name} does not have`);
    }
  }
}

for (const { key, file } of expectConfigMapKeys) {
  const want = fs.readFileSync(file, "utf8");
  const holders = byKind("ConfigMap").filter((cm) => cm.object.data?.[key] !== undefined);
  if (holders.length === 0) globalProblems.push(`expected a ConfigMap with key ${key}`);
  else if (!holders.some((cm) => cm.object.data[key] === want)) {
    const got = holders[0].object.data[key].split("\n"), expected = want.split("\n");
    let line = 0;
    while (line < got.length && got[line] === expected[line]) line++;
    globalProblems.push(`ConfigMap ${holders[0].object.metadata.name} key ${key} differs from ${file} from line ${line + 1}: ${JSON.stringify(got[line] ?? "(end)")} vs ${JSON.stringify(expected[line] ?? "(end)")}`);
  }
}

// ---------------------------------------------------------------- report
let invalid = 0;
for (const entry of objects) {
  const problems = problemsOf.get(entry) ?? [];
  const label = `${nameOf(entry.object)} (${entry.object.apiVersion})`;
  if (problems.length === 0) console.log(`  ok      ${label}`);
  else {
    invalid++;
    console.log(`  INVALID ${label} [${path.basename(entry.file)}]`);
    for (const p of problems) console.log(`          - ${p}`);
  }
}
for (const line of okLines) console.log(`  ok      ${line}`);
for (const p of globalProblems) console.log(`  ERROR   ${p}`);
const verdict = invalid === 0 && globalProblems.length === 0;
console.log(`  ${objects.length} objects, ${objects.length - invalid} valid, ${invalid} invalid${globalProblems.length ? `, ${globalProblems.length} other errors` : ""}`);
process.exit(verdict ? 0 : 1);
