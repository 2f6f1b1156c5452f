// The /corpus page: the stored reports (GET /v1/reports) as a sortable, filterable table, and the corpus in
// counts (GET /v1/corpus/summary) drawn as inline SVG. Stored text is untrusted: it goes in through textContent.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const PALETTE = ["#1d4ed8", "#c62828", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f", "#ad1457", "#5d4037",
  "#455a64", "#9e9d24", "#283593", "#ef6c00", "#00695c"];
const NUMERIC = new Set(["errors", "warnings", "reuse_share", "score", "year"]);
const state = {sort: "-errors", page: 1, perPage: 50, total: 0};

function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.setAttribute("class", v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

async function getJSON(url) {
  const response = await fetch(url);
  const body = await response.json().catch(() => ({message: `HTTP ${response.status}`}));
  if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
  return body;
}

function colours(keys) {
  return Object.fromEntries(keys.map((k, i) => [k, PALETTE[i % PALETTE.length]]));
}

function legend(colour) {
  return el("div", {class: "legend"}, ...Object.entries(colour).map(([k, c]) =>
    el("span", {}, el("i", {style: `background:${c}`}), k)));
}

// One bar per year, a segment per key: rows are [{year, key, value}].
function stackedBars(rows, chartName) {
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => (a ?? 0) - (b ?? 0));
  const colour = colours([...new Set(rows.map((r) => r.key))].sort());
  const totals = years.map((y) => rows.filter((r) => r.year === y).reduce((s, r) => s + r.value, 0));
  const max = Math.max(1, ...totals);
  const width = 400, height = 170, left = 28, bottom = 18, step = (width - left) / Math.max(1, years.length);
  const bar = Math.min(36, step * 0.7);
  const chart = el("svg:svg", {viewBox: `0 0 ${width} ${height + bottom}`, width: "100%", "data-chart": chartName});
  chart.append(el("svg:text", {x: 0, y: 10, text: String(max)}), el("svg:text", {x: 0, y: height, text: "0"}));
  years.forEach((year, i) => {
    const x = left + i * step + (step - bar) / 2;
    let top = height;
    for (const row of rows.filter((r) => r.year === year)) {
      const h = (row.value / max) * (height - 12);
      top -= h;
      chart.append(el("svg:rect", {x, y: top, width: bar, height: h, fill: colour[row.key], "data-year": year ?? "",
        "data-key": row.key, "data-value": row.value}, el("svg:title", {text: `${year ?? "?"} ${row.key}: ${row.value}`})));
    }
    chart.append(el("svg:text", {x: x + bar / 2, y: height + 13, "text-anchor": "middle", text: year ?? "?"}));
  });
  if (!years.length) chart.append(el("svg:text", {x: width / 2, y: height / 2, "text-anchor": "middle", text: "—"}));
  return [chart, legend(colour)];
}

function agencyBars(agencies) {
  const shown = agencies.filter((a) => a.errors > 0).slice(0, 10);
  const max = Math.max(1, ...shown.map((a) => a.errors)), row = 18, left = 170, width = 400;
  const chart = el("svg:svg", {viewBox: `0 0 ${width} ${Math.max(1, shown.length) * row + 4}`, width: "100%",
    "data-chart": "agencies"});
  shown.forEach((a, i) => {
    const w = (a.errors / max) * (width - left - 30);
    chart.append(
      el("svg:text", {x: left - 4, y: i * row + 13, "text-anchor": "end", text: a.agency.slice(0, 14)}),
      el("svg:rect", {x: left, y: i * row + 3, width: w, height: row - 6, fill: "#c62828", "data-key": a.agency,
        "data-value": a.errors}, el("svg:title", {text: `${a.agency}: ${a.errors} errors in ${a.reports} reports`})),
      el("svg:text", {x: left + w + 4, y: i * row + 13, text: String(a.errors)}));
  });
  if (!shown.length) chart.append(el("svg:text", {x: width / 2, y: 14, "text-anchor": "middle", text: "无错误 no errors"}));
  return [chart];
}

function options(select, values) {  // after the first option ("all"), keeping what is chosen
  const chosen = select.value;
  select.replaceChildren(select.options[0], ...values.map((v) => el("option", {value: v, text: v})));
  select.value = values.includes(chosen) ? chosen : "";
}

function renderSummary(s) {
  const errors = s.by_year.reduce((n, y) => n + y.errors, 0), warnings = s.by_year.reduce((n, y) => n + y.warnings, 0);
  const count = (key, value, label) => [el("b", {"data-count": key, text: String(value)}), ` ${label} · `];
  $("counts").replaceChildren(...count("reports", s.reports, "份文件 files"), ...count("read", s.read, "已读 read"),
    ...count("failed", s.failed, "无法读取 unreadable"), ...count("errors", errors, "错误 errors"),
    ...count("warnings", warnings, "警告 warnings"));
  options($("f-year"), s.by_year.filter((y) => y.year != null).map((y) => String(y.year)));
  options($("f-rule"), [...new Set(s.by_rule.map((r) => r.rule))]);
  const findings = s.rule_by_year.filter((r) => r.severity !== "info")
    .map((r) => ({year: r.year, key: r.rule, value: r.findings}));
  const merged = Object.values(findings.reduce((acc, r) => {
    const k = `${r.year}|${r.key}`;
    acc[k] = acc[k] ? {...acc[k], value: acc[k].value + r.value} : r;
    return acc;
  }, {}));
  $("chart-rules").replaceChildren(...stackedBars(merged, "rules"));
  $("chart-themes").replaceChildren(...stackedBars(
    s.problem_themes_by_year.map((r) => ({year: r.year, key: r.theme, value: r.statements})), "themes"));
  $("chart-agencies").replaceChildren(...agencyBars(s.agencies));
}

function query() {
  const params = new URLSearchParams({sort: state.sort, page: state.page, per_page: state.perPage});
  for (const name of ["year", "agency", "format", "rule", "severity"]) {
    const value = $(`f-${name}`).value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

function numberCell(value, bad) {
  return el("td", {class: bad ? "n bad" : "n", text: value == null ? "" : String(value)});
}

async function loadReports() {
  const params = query();
  const page = await getJSON(`/v1/reports?${params}`);
  state.total = page.total;
  const rows = page.items.map((r) => {
    const tr = el("tr", {"data-sha256": r.sha256, class: r.error ? "failed" : ""},
      el("td", {text: r.error ? `无法读取 ${r.error}` : (r.agency ?? "—"), title: r.message ?? ""}),
      numberCell(r.year), el("td", {text: r.format ?? ""}), numberCell(r.errors, r.errors > 0),
      numberCell(r.warnings), numberCell(r.reuse_share == null ? null : `${Math.round(r.reuse_share * 100)}%`),
      numberCell(r.score), el("td", {text: r.file}));
    if (!r.error) tr.addEventListener("click", () => { location.href = `/?report=${r.sha256}`; });
    return tr;
  });
  const body = $("reports").tBodies[0];
  body.replaceChildren(...rows);
  const pages = Math.max(1, Math.ceil(page.total / state.perPage));
  $("page").textContent = `${page.total} 份 reports · 第 ${state.page} / ${pages} 页`;
  $("prev").disabled = state.page <= 1;
  $("next").disabled = state.page >= pages;
  for (const th of document.querySelectorAll("#reports th[data-sort]")) {
    th.classList.toggle("asc", state.sort === th.dataset.sort);
    th.classList.toggle("desc", state.sort === `-${th.dataset.sort}`);
  }
  body.dataset.query = params.toString();  // what is shown, for a reader (or a test) to know it is current
}

function sortBy(key) {
  if (state.sort === key) state.sort = `-${key}`;
  else if (state.sort === `-${key}`) state.sort = key;
  else state.sort = NUMERIC.has(key) ? `-${key}` : key;
  state.page = 1;
  refresh();
}

async function refresh() {
  try {
    await loadReports();
  } catch (error) {
    $("counts").textContent = error.message;
    $("counts").className = "error";
  }
}

// A zip into the store: the bar shows the upload's bytes, then the files read, polling the job.
function sendZip(event) {
  event.preventDefault();
  const file = $("zip").files[0], bar = $("zip-progress"), status = $("zip-status");
  if (!file) { status.textContent = "请选择 zip / Choose a zip file."; status.className = "error"; return; }
  const form = new FormData();
  form.append("file", file);
  const request = new XMLHttpRequest();
  request.open("POST", "/v1/corpus/upload");
  request.responseType = "json";
  request.upload.onprogress = (e) => { if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; } };
  request.onload = () => {
    if (request.status !== 202) {
      status.textContent = (request.response && request.response.message) || `HTTP ${request.status}`;
      status.className = "error";
      return;
    }
    follow(request.response);
  };
  request.onerror = () => { status.textContent = "上传失败 / The upload failed."; status.className = "error"; };
  bar.hidden = false;
  bar.value = 0;
  status.className = "";
  status.textContent = "上传中… / Uploading…";
  delete status.dataset.done;
  request.send(form);
}

async function follow(job) {
  const bar = $("zip-progress"), status = $("zip-status");
  bar.max = Math.max(1, job.total);
  bar.value = job.done;
  status.textContent = `${job.done} / ${job.total}: ${job.read} 已读 read, ${job.failed} 无法读取 failed, ` +
    `${job.skipped} 已有 already stored`;
  if (!job.finished) {
    setTimeout(async () => follow(await getJSON(`/v1/corpus/jobs/${job.id}`)), 400);
    return;
  }
  status.dataset.done = "1";
  renderSummary(await getJSON("/v1/corpus/summary"));
  await refresh();
}

async function start() {
  $("zip-upload").addEventListener("submit", sendZip);
  try {
    renderSummary(await getJSON("/v1/corpus/summary"));
  } catch (error) {
    $("counts").textContent = error.message;
    $("counts").className = "error";
    return;
  }
  for (const th of document.querySelectorAll("#reports th[data-sort]")) {
    th.addEventListener("click", () => sortBy(th.dataset.sort));
  }
  let typing;
  const filter = () => { clearTimeout(typing); state.page = 1; refresh(); };
  $("filters").addEventListener("change", filter);
  $("f-agency").addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(filter, 250); });
  $("filters").addEventListener("submit", (event) => event.preventDefault());
  $("prev").addEventListener("click", () => { state.page -= 1; refresh(); });
  $("next").addEventListener("click", () => { state.page += 1; refresh(); });
  await refresh();
}

start();
