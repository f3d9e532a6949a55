// Herald's pipeline page: each pipeline's DAG with live per-annotator numbers, the bottleneck highlighted, and
// pause/resume, and sparklines of each annotator's rate and latency over the last minutes. Reads /api/pipelines,
// /api/status (once a second) and /api/status/history; no external scripts, so it works offline.
"use strict";
const NODE_W = 210, NODE_H = 118, GAP_X = 60, GAP_Y = 24;
const SPARK_Y = 90, SPARK_H = 22;
const tokenInput = document.getElementById("token");
tokenInput.value = localStorage.getItem("herald-token") || "";
tokenInput.addEventListener("change", () => localStorage.setItem("herald-token", tokenInput.value));

let pipelines = [];

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

// Columns by depth: an annotator sits one column right of its deepest dependency.
// An optional requirement is listed as "name?".
const requirement = r => ({ name: r.endsWith("?") ? r.slice(0, -1) : r, optional: r.endsWith("?") });

function layout(pipeline) {
  const depth = {};
  for (const a of pipeline.annotators) depth[a.name] = Math.max(0, ...a.requires.map(r => depth[requirement(r).name] + 1));
  const columns = [];
  for (const a of pipeline.annotators) (columns[depth[a.name]] ??= []).push(a.name);
  const position = {};
  columns.forEach((names, x) => names.forEach((name, y) => position[name] = { x: x * (NODE_W + GAP_X) + 10, y: y * (NODE_H + GAP_Y) + 10 }));
  const height = Math.max(...columns.map(c => c.length)) * (NODE_H + GAP_Y) + 10;
  return { position, width: columns.length * (NODE_W + GAP_X), height };
}

function svg(tag, attributes = {}, text) {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

function drawPipeline(pipeline) {
  const { position, width, height } = layout(pipeline);
  const box = document.createElement("div");
  box.className = "pipeline";
  box.id = `pipeline-${pipeline.tag}`;
  box.innerHTML = `<h2>${pipeline.tag} <span class="summary" data-summary></span></h2>`;
  const graph = svg("svg", { viewBox: `0 0 ${width} ${height}`, height, "data-pipeline": pipeline.tag });
  const defs = svg("defs");
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" });
  marker.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8aa0b8" }));
  defs.appendChild(marker);
  graph.appendChild(defs);
  for (const a of pipeline.annotators)
    for (const r of a.requires) {
      const { name, optional } = requirement(r);
      const from = position[name], to = position[a.name];
      const x1 = from.x + NODE_W, y1 = from.y + NODE_H / 2, x2 = to.x, y2 = to.y + NODE_H / 2;
      graph.appendChild(svg("path", { class: optional ? "edge optional" : "edge", d: `M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2},${y2}` }));
    }
  for (const a of pipeline.annotators) {
    const { x, y } = position[a.name];
    const node = svg("g", { class: "node", transform: `translate(${x},${y})`, "data-annotator": a.name });
    node.appendChild(svg("rect", { width: NODE_W, height: NODE_H }));
    node.appendChild(svg("text", { class: "title", x: 8, y: 17 }, `${a.name}@${a.version}`));
    node.appendChild(svg("text", { x: 8, y: 34, "data-field": "rate" }, "–"));
    node.appendChild(svg("text", { x: 8, y: 50, "data-field": "latency" }, ""));
    node.appendChild(svg("text", { x: 8, y: 66, "data-field": "queue" }, ""));
    node.appendChild(svg("text", { x: 8, y: 82, "data-field": "outcomes" }, ""));
    node.appendChild(svg("polyline", { class: "spark rate", "data-spark": "rate", points: "" }));
    node.appendChild(svg("polyline", { class: "spark latency", "data-spark": "latency", points: "" }));
    const control = svg("foreignObject", { x: NODE_W - 70, y: 4, width: 66, height: 24 });
    const button = document.createElement("button");
    button.textContent = "pause";
    button.dataset.action = "pause";
    button.addEventListener("click", () => toggle(pipeline.tag, a.name, button));
    control.appendChild(button);
    node.appendChild(control);
    graph.appendChild(node);
  }
  box.appendChild(graph);
  return box;
}

async function toggle(tag, name, button) {
  const action = button.dataset.action;
  const headers = { "X-Herald-Request": "1", ...(tokenInput.value ? { Authorization: `Bearer ${tokenInput.value}` } : {}) };
  const response = await fetch(`/api/annotators/${encodeURIComponent(tag)}/${encodeURIComponent(name)}/${action}`, { method: "POST", headers });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    document.getElementById("error").textContent = `${action} ${name}: ${problem.detail || response.status}`;
  }
  refresh();
}

function update(status) {
  document.getElementById("cluster").textContent = `${status.silos} silo(s) · ${new Date(status.at).toLocaleTimeString()}`;
  for (const p of status.pipelines) {
    const box = document.getElementById(`pipeline-${p.tag}`);
    if (!box) continue;
    box.querySelector("[data-summary]").textContent =
      `version ${p.version} · ${p.throughput.toFixed(1)} documents/s · ${p.completed} completed · ${p.inFlight} in flight · p50 ${p.p50Ms.toFixed(0)} ms · p99 ${p.p99Ms.toFixed(0)} ms` +
      (p.bottleneck ? ` · bottleneck: ${p.bottleneck}` : "");
    for (const a of p.annotators) {
      const node = box.querySelector(`[data-annotator="${CSS.escape(a.name)}"]`);
      if (!node) continue;
      node.classList.toggle("bottleneck", a.name === p.bottleneck);
      node.classList.toggle("paused", a.paused);
      node.classList.toggle("errors", a.errors > 0);
      node.classList.toggle("circuit-open", a.circuit === "open" || a.circuit === "half-open");
      node.querySelector('[data-field="rate"]').textContent = `${a.throughput.toFixed(1)}/s · ${a.done} done`;
      node.querySelector('[data-field="latency"]').textContent = `p50 ${a.p50Ms.toFixed(1)} ms · p99 ${a.p99Ms.toFixed(1)} ms`;
      node.querySelector('[data-field="queue"]').textContent = `${a.running} running · ${a.waiting} waiting`;
      node.querySelector('[data-field="outcomes"]').textContent = `${a.errors} errors · ${a.skipped} skipped` + (a.circuit && a.circuit !== "closed" ? ` · circuit ${a.circuit}` : "");
      const button = node.querySelector("button");
      button.dataset.action = a.paused ? "resume" : "pause";
      button.textContent = button.dataset.action;
    }
  }
  const rows = status.partitions.map(l => `<tr><td>${l.pipeline}</td><td>${l.partition}</td><td>${l.position}</td><td>${l.end}</td><td>${l.lag}</td></tr>`);
  document.querySelector("#partitions tbody").innerHTML = rows.join("");
}

// Each series scaled to its own maximum, newest on the right.
function sparkPoints(values, samples) {
  const max = Math.max(1e-9, ...values);
  const step = (NODE_W - 16) / Math.max(1, samples - 1);
  const offset = samples - values.length;
  return values.map((v, i) => `${(8 + (offset + i) * step).toFixed(1)},${(SPARK_Y + SPARK_H - (v / max) * SPARK_H).toFixed(1)}`).join(" ");
}

function drawHistory(history) {
  const samples = 300 / history.intervalSeconds;
  for (const h of history.annotators) {
    const node = document.querySelector(`#pipeline-${CSS.escape(h.pipeline)} [data-annotator="${CSS.escape(h.annotator)}"]`);
    if (!node) continue;
    node.querySelector('[data-spark="rate"]').setAttribute("points", sparkPoints(h.throughput, samples));
    node.querySelector('[data-spark="latency"]').setAttribute("points", sparkPoints(h.p50Ms, samples));
  }
}

async function refresh() {
  try {
    const latest = await getJson("/api/pipelines");
    if (JSON.stringify(latest.map(p => p.version)) !== JSON.stringify(pipelines.map(p => p.version))) {
      pipelines = latest;
      const main = document.getElementById("pipelines");
      main.replaceChildren(...pipelines.map(drawPipeline));
    }
    update(await getJson("/api/status"));
    drawHistory(await getJson("/api/status/history"));
    document.getElementById("error").textContent = "";
  } catch (e) {
    document.getElementById("error").textContent = `cannot reach the silo: ${e.message}`;
  }
}

refresh();
setInterval(refresh, 1000);
