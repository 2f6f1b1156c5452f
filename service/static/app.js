// The gongkai page: send a report to /v1/analyze and show the result document (contract.md).
// Report text is untrusted: everything goes into the page through textContent, never innerHTML.
"use strict";

const T2_2021 = [
  {caption: "第二十条第（一）项", rows: [["rules", "规章"], ["normative_docs", "行政规范性文件"]],
    cols: [["issued", "本年制发件数"], ["repealed", "本年废止件数"], ["in_force", "现行有效件数"]]},
  {caption: "第二十条第（五）项", rows: [["licensing", "行政许可"]], cols: [["decisions", "本年处理决定数量"]]},
  {caption: "第二十条第（六）项", rows: [["penalty", "行政处罚"], ["coercion", "行政强制"]],
    cols: [["decisions", "本年处理决定数量"]]},
  {caption: "第二十条第（八）项", rows: [["fees", "行政事业性收费"]], cols: [["amount", "本年收费金额（万元）"]]},
];
const ITEMS_2019 = [["prev", "上一年项目数量"], ["change", "本年增/减"], ["decisions", "处理决定数量"]];
const T2_2019 = [
  {caption: "", rows: [["rules", "规章"], ["normative_docs", "规范性文件"]],
    cols: [["made", "本年新制作数量"], ["published", "本年新公开数量"], ["total", "对外公开总数量"]]},
  {caption: "", rows: [["licensing", "行政许可"], ["other_services", "其他对外管理服务事项"],
    ["penalty", "行政处罚"], ["coercion", "行政强制"]], cols: ITEMS_2019},
  {caption: "", rows: [["fees", "行政事业性收费"]], cols: ITEMS_2019.slice(0, 2)},
  {caption: "", rows: [["procurement", "政府集中采购"]], cols: [["count", "采购项目数量"], ["amount", "采购总金额"]]},
];
const T3_COLS = [["natural_person", "自然人"], ["commercial", "商业企业"], ["research", "科研机构"],
  ["social_welfare", "社会公益组织"], ["legal_service", "法律服务机构"], ["other_org", "其他"], ["total", "总计"]];
// [row key, label, group header printed before it]
const T3_ROWS = [
  ["new", "一、本年新收政府信息公开申请数量"], ["carried_over", "二、上年结转政府信息公开申请数量"],
  ["granted", "（一）予以公开", "三、本年度办理结果"], ["partial", "（二）部分公开"],
  ["denied.state_secret", "1.属于国家秘密", "（三）不予公开"], ["denied.prohibited", "2.其他法律行政法规禁止公开"],
  ["denied.security", "3.危及“三安全一稳定”"], ["denied.third_party", "4.保护第三方合法权益"],
  ["denied.internal", "5.属于三类内部事务信息"], ["denied.process", "6.属于四类过程性信息"],
  ["denied.enforcement", "7.属于行政执法案卷"], ["denied.query", "8.属于行政查询事项"],
  ["unavailable.not_held", "1.本机关不掌握相关政府信息", "（四）无法提供"],
  ["unavailable.needs_creation", "2.没有现成信息需要另行制作"], ["unavailable.unclear", "3.补正后申请内容仍不明确"],
  ["not_processed.petition", "1.信访举报投诉类申请", "（五）不予处理"], ["not_processed.duplicate", "2.重复申请"],
  ["not_processed.publication", "3.要求提供公开出版物"], ["not_processed.excessive", "4.无正当理由大量反复申请"],
  ["not_processed.reconfirm", "5.要求行政机关确认或重新出具已获取信息"],
  ["other.no_correction", "1.申请人无正当理由逾期不补正", "（六）其他处理"],
  ["other.unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用"], ["other.other", "3.其他"],
  ["other", "（六）其他处理"], ["total", "（七）总计"], ["carried_forward", "四、结转下年度继续办理"],
];
const T4 = {caption: "", corner: "", rows: [["review", "行政复议"], ["litigation_direct", "行政诉讼 · 未经复议直接起诉"],
  ["litigation_after_review", "行政诉讼 · 复议后起诉"]],
cols: [["upheld", "结果维持"], ["corrected", "结果纠正"], ["other", "其他结果"], ["pending", "尚未审结"], ["total", "总计"]]};
const THEMES = {content_quality: "公开内容质量与规范性", coverage_depth: "公开范围与深度", timeliness: "公开时效",
  policy_interpretation: "政策解读", public_response: "回应关切与政民互动", request_handling: "依申请公开办理",
  platform: "公开平台与渠道", staffing_training: "队伍建设与业务能力", institution_mechanism: "制度机制与工作流程",
  supervision_assessment: "监督考核", awareness_publicity: "思想认识与宣传", grassroots: "基层政务公开",
  confidentiality_security: "保密审查与信息安全"};
const SOURCES = {crawler_header: "网页采集记录 crawler header", html_meta: "网页元数据 page meta tags",
  page_header: "网页页头 page header", signature: "落款 signature", pdf_metadata: "PDF元数据 PDF metadata"};
const LEVELS = {department: "政府部门 department", government: "县级以上地方人民政府 local government",
  township: "乡镇（街道） township or street"};
const SEVERITY = {error: 0, warning: 1, info: 2};
const SEVERITY_NAME = {error: "错误 error", warning: "警告 warning", info: "提示 info"};

const $ = (id) => document.getElementById(id);
let doc = null;
let shown = new Set();  // cell keys that have a place in a grid

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function fmt(value) {
  return value == null ? "" : String(value);
}

// --- tables -------------------------------------------------------------------------------------------------

function cell(key) {
  const td = el("td", {"data-cell": key, title: key});
  if (!(key in doc.tables)) td.className = "absent";
  else if (doc.tables[key] == null) { td.className = "empty"; td.title = key + " (印为空 printed empty)"; }
  else td.textContent = fmt(doc.tables[key]);
  const confidence = (doc.ocr_cells || {})[key];
  if (confidence != null) {  // read by OCR: marked, and how sure it was in the tooltip
    td.classList.add("ocr");
    td.title = `${td.title} · OCR ${confidence.toFixed(2)}`;
  }
  shown.add(key);
  return td;
}

function grid(prefix, block) {
  const keys = block.rows.flatMap(([r]) => block.cols.map(([c]) => `${prefix}.${r}.${c}`));
  if (!keys.some((k) => k in doc.tables)) return null;
  const table = el("table", {class: "grid"});
  const header = block.cols.map(([, label]) => el("th", {text: label}));
  table.append(el("tr", {}, el("th", {text: block.corner ?? "信息内容"}), ...header));
  for (const [r, label] of block.rows) {
    table.append(el("tr", {}, el("th", {class: "row", text: label}),
      ...block.cols.map(([c]) => cell(`${prefix}.${r}.${c}`))));
  }
  return el("div", {}, block.caption ? el("div", {class: "caption", text: block.caption}) : null, table);
}

function table3() {
  const rows = T3_ROWS.filter(([r]) => T3_COLS.some(([c]) => `t3.${r}.${c}` in doc.tables));
  if (!rows.length) return null;
  const table = el("table", {class: "grid", id: "t3"});
  table.append(el("tr", {}, el("th", {rowspan: 2, text: "申请人情况"}), el("th", {rowspan: 2, text: "自然人"}),
    el("th", {colspan: 5, text: "法人或其他组织"}), el("th", {rowspan: 2, text: "总计"})));
  table.append(el("tr", {}, ...T3_COLS.slice(1, 6).map(([, label]) => el("th", {text: label}))));
  for (const [r, label, group] of rows) {
    if (group) table.append(el("tr", {}, el("th", {class: "group", colspan: 8, text: group})));
    table.append(el("tr", {}, el("th", {class: "row", text: label}), ...T3_COLS.map(([c]) => cell(`t3.${r}.${c}`))));
  }
  return table;
}

function statTable() {
  const keys = Object.keys(doc.tables).filter((k) => k.startsWith("stat."));
  if (!keys.length) return null;
  const table = el("table", {class: "grid", id: "stat"});
  table.append(el("tr", {}, el("th", {text: "统计指标"}), el("th", {text: "单位"}), el("th", {text: "统计数"}),
    el("th", {text: "历年累计"})));
  for (const key of keys.filter((k) => !k.includes("#"))) {
    const total = `${key}#历年累计`;
    table.append(el("tr", {}, el("th", {class: "row", text: key.slice(5)}),
      el("th", {text: (doc.units || {})[key] || ""}), cell(key), total in doc.tables ? cell(total) : el("td")));
  }
  return table;
}

function renderTables() {
  const box = $("tables");
  box.replaceChildren();
  shown = new Set();
  const uses2019 = Object.keys(doc.tables).some((k) => /^t2\.\w+\.(made|published|prev|change|count)$/.test(k));
  const parts = [
    ["表二 主动公开政府信息情况", (uses2019 ? T2_2019 : T2_2021).map((b) => grid("t2", b))],
    ["表三 收到和处理政府信息公开申请情况", [table3()]],
    ["表四 政府信息公开行政复议、行政诉讼情况", [grid("t4", T4)]],
    ["统计表", [statTable()]],
  ];
  for (const [title, tables] of parts) {
    const present = tables.filter(Boolean);
    if (present.length) box.append(el("h3", {text: title}), ...present);
  }
  const rest = Object.keys(doc.tables).filter((k) => !shown.has(k));
  if (rest.length) {
    const table = el("table", {class: "grid"});
    for (const key of rest) table.append(el("tr", {}, el("th", {class: "row", text: key}), cell(key)));
    box.append(el("h3", {text: "其他单元格 Other cells"}), table);
  }
  if (!box.children.length) box.append(el("p", {class: "none", text: "没有读到表格 / No tables were read."}));
}

// --- section text with quotes marked ------------------------------------------------------------------------

// A quote's whitespace may differ from the text's (lines break mid-word), so match it with any whitespace between
// its characters.
function findQuote(text, quote) {
  const chars = Array.from(quote.replace(/\s+/g, "")).slice(0, 400);
  if (!chars.length) return null;
  const pattern = chars.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s*");
  const match = new RegExp(pattern, "u").exec(text);
  return match ? [match.index, match.index + match[0].length] : null;
}

function renderSections() {
  const spans = [];  // [section index, start, end, attribute, index]
  doc.sections.forEach((section, s) => {
    doc.findings.forEach((f, i) => f.quotes.forEach((q) => {
      const at = findQuote(section.text, q);
      if (at) spans.push([s, ...at, "f", i]);
    }));
    doc.claims.forEach((c, i) => {
      const at = c.quote ? findQuote(section.text, c.quote) : null;
      if (at) spans.push([s, ...at, "c", i]);
    });
  });
  const box = $("sections");
  box.replaceChildren();
  doc.sections.forEach((section, s) => {
    const mine = spans.filter((span) => span[0] === s);
    const cuts = [...new Set([0, section.text.length, ...mine.flatMap((span) => [span[1], span[2]])])]
      .sort((a, b) => a - b);
    const pre = el("pre");
    for (let k = 0; k + 1 < cuts.length; k++) {
      const [from, to] = [cuts[k], cuts[k + 1]];
      const piece = section.text.slice(from, to);
      const over = mine.filter((span) => span[1] <= from && to <= span[2]);
      if (!over.length) { pre.append(piece); continue; }
      const mark = el("mark", {text: piece});
      const findings = over.filter((span) => span[3] === "f").map((span) => span[4]);
      const claims = over.filter((span) => span[3] === "c").map((span) => span[4]);
      if (findings.length) { mark.dataset.f = findings.join(" "); mark.classList.add("finding"); }
      if (claims.length) mark.dataset.c = claims.join(" ");
      pre.append(mark);
    }
    box.append(el("div", {class: "section", id: `section-${section.key}`},
      el("h3", {text: section.title || section.key}), pre));
  });
  if (!doc.sections.length) box.append(el("p", {class: "none", text: "没有读到章节 / No sections were read."}));
}

// --- findings, claims, statements ---------------------------------------------------------------------------

function renderFindings() {
  const list = $("findings");
  list.replaceChildren();
  const order = doc.findings.map((f, i) => i)
    .sort((a, b) => (SEVERITY[doc.findings[a].severity] ?? 3) - (SEVERITY[doc.findings[b].severity] ?? 3));
  for (const i of order) {
    const f = doc.findings[i];
    const item = el("li", {class: f.severity, tabindex: 0, "data-finding": i, onclick: () => select("f", i),
      onkeydown: (e) => { if (e.key === "Enter") select("f", i); }},
    el("span", {class: `badge ${f.severity}`, text: SEVERITY_NAME[f.severity] || f.severity}),
    el("span", {class: "rule", text: f.check && f.check !== f.rule ? `${f.rule} · ${f.check}` : f.rule}),
    el("div", {text: f.message}));
    if (f.expected != null || f.actual != null) {
      item.append(el("div", {class: "numbers", text: `印为 actual ${fmt(f.actual)} · 应为 expected ${fmt(f.expected)}`}));
    }
    if (f.cells.length) {
      item.append(el("div", {class: "chips"}, ...f.cells.map((k) => el("span", {class: "chip",
        text: k in doc.tables ? `${k} = ${doc.tables[k] == null ? "空" : doc.tables[k]}` : k}))));
    }
    for (const q of f.quotes) item.append(el("blockquote", {text: q}));
    list.append(item);
  }
  $("findings-count").textContent = `(${doc.findings.length})`;
  if (!doc.findings.length) list.append(el("li", {class: "none", text: "没有发现问题 / No findings."}));
  // Every cell a finding names is marked with the finding's worst severity, before anything is clicked.
  const worst = {};
  for (const f of doc.findings) {
    for (const k of f.cells) {
      if (!(k in worst) || SEVERITY[f.severity] < SEVERITY[worst[k]]) worst[k] = f.severity;
    }
  }
  for (const [k, severity] of Object.entries(worst)) {
    document.querySelectorAll(`[data-cell="${CSS.escape(k)}"]`).forEach((td) => td.classList.add(severity));
  }
  // The cell that prints the wrong number (a finding's first cell, holding `actual`) says what it should be.
  for (const f of doc.findings) {
    const [first] = f.cells;
    if (first == null || f.actual == null || doc.tables[first] !== f.actual) continue;
    document.querySelectorAll(`[data-cell="${CSS.escape(first)}"]`).forEach((td) => {
      td.classList.add("wrong");
      td.title = `${first}: 印为 ${f.actual}，应为 ${fmt(f.expected)} / printed ${f.actual}, expected ${fmt(f.expected)}`;
    });
  }
}

function renderClaims() {
  const table = $("claims");
  table.replaceChildren(el("tr", {}, ...["原文 quote", "数值 value", "单位", "指标 metric", "限定", "单元格 cell"]
    .map((h) => el("th", {text: h}))));
  doc.claims.forEach((c, i) => table.append(el("tr", {class: "claim", "data-claim": i, onclick: () => select("c", i)},
    el("td", {text: c.quote}), el("td", {text: fmt(c.value)}), el("td", {text: fmt(c.unit)}),
    el("td", {text: fmt(c.metric)}), el("td", {text: fmt(c.qualifier)}), el("td", {text: fmt(c.cell)}))));
  $("claims-count").textContent = `(${doc.claims.length})`;
  if (!doc.claims.length) table.replaceChildren(el("tr", {}, el("td", {class: "none", text: "无 / none"})));
}

function renderStatements() {
  const box = $("statements");
  box.replaceChildren();
  for (const [kind, title] of [["problem", "存在的问题 Problems"], ["measure", "改进措施 Measures"]]) {
    const mine = doc.statements.filter((s) => s.kind === kind);
    if (!mine.length) continue;
    box.append(el("h3", {text: title}));
    for (const s of mine) {
      const themes = s.themes.map((t) => el("span", {class: "chip theme",
        text: `${THEMES[t] || t}${s.scores && t in s.scores ? " " + Number(s.scores[t]).toFixed(2) : ""}`}));
      // `answers` are indexes into doc.statements, of the problems this measure answers.
      const answers = (s.answers || []).map((k) => doc.statements[k] ? el("div", {class: "numbers",
        text: `回应问题 answers: ${doc.statements[k].text}`}) : null);
      const label = s.generic ? `${kind} · generic` : kind;
      box.append(el("div", {class: "statement"}, el("span", {class: "kind", text: label}), s.text,
        el("div", {class: "chips"}, ...themes), ...answers));
    }
  }
  if (!doc.statements.length) box.append(el("p", {class: "none", text: "无 / none"}));
}

function published(publication) {
  if (!publication || !publication.date) return "（未找到）";
  return `${publication.date}（据 ${SOURCES[publication.source] || publication.source}）`;
}

// The rubric's indicators, each with its points and the findings that cost them (click one to see it).
function renderAssessment() {
  const box = $("assessment");
  box.replaceChildren();
  const a = doc.assessment;
  if (!a) { box.append(el("p", {class: "none", text: "未评分 / not scored"})); return; }
  box.append(el("p", {class: "numbers", id: "score",
    text: `${fmt(a.total)} / ${fmt(a.max)} · ${a.rubric}（非官方指标 / not an official rubric unless yours）`}));
  const list = el("ul", {class: "indicators"});
  for (const indicator of a.indicators) {
    const assessed = indicator.points != null;
    const head = assessed ? `${fmt(indicator.points)} / ${fmt(indicator.max)}`
      : `未评 not assessed（缺 ${indicator.not_assessed_for_want_of.join(", ")}）`;
    const item = el("li", {"data-indicator": indicator.id}, el("strong", {text: indicator.name}), ` ${head}`);
    for (const d of indicator.deductions) {
      const f = doc.findings[d.finding];
      item.append(el("div", {class: "deduction", tabindex: 0, onclick: () => select("f", d.finding),
        text: `−${fmt(d.points)} ${d.check}: ${f ? f.message.split(" / ")[0] : ""}`}));
    }
    list.append(item);
  }
  box.append(list);
}

function renderSummary() {
  const r = doc.report, src = doc.source;
  const errors = doc.findings.filter((f) => f.severity === "error").length;
  const rows = [["机关 agency", r.agency || "（未识别）"], ["年度 year", fmt(r.year) || "（未识别）"],
    ["格式 format", r.format], ["文件 file", `${fmt(src.filename)} (${src.format}${src.pages ? `, ${src.pages} 页` : ""})`],
    ...((src.ocr || []).length ? [["OCR 识别页 OCR pages", src.ocr.join(", ")]] : []),
    ["层级 level", LEVELS[doc.level] || "（未识别）"], ["发布日期 published", published(doc.publication)],
    ["评分 score", doc.assessment ? `${fmt(doc.assessment.total)} / ${fmt(doc.assessment.max)}` : "—"],
    ["错误 errors", String(errors)]];
  const dl = el("dl");
  for (const [k, v] of rows) dl.append(el("dt", {text: k}), el("dd", {text: v}));
  $("summary").replaceChildren(el("h2", {text: "报告 Report"}), dl,
    el("button", {type: "button", id: "download", onclick: download, text: "下载 JSON / Download JSON"}));
  const warnings = $("warnings");
  warnings.replaceChildren(...doc.warnings.map((w) => el("li", {text: w})));
  if (!doc.warnings.length) warnings.append(el("li", {class: "none", text: "无 / none"}));
}

// --- selection ----------------------------------------------------------------------------------------------

// Scroll `node` to the middle of the pane that holds it, so that a cell and a quote in two panes both come into
// view; when the panes are stacked (narrow screens), scroll the window instead.
function reveal(node) {
  const pane = node.closest(".pane");
  if (pane && pane.scrollHeight > pane.clientHeight && getComputedStyle(pane).overflowY !== "visible") {
    const offset = node.getBoundingClientRect().top - pane.getBoundingClientRect().top;
    pane.scrollTop += offset - pane.clientHeight / 2;
  } else {
    node.scrollIntoView({block: "center"});
  }
}

function select(kind, i) {
  document.querySelectorAll(".active").forEach((node) => node.classList.remove("active"));
  const item = kind === "f" ? doc.findings[i] : doc.claims[i];
  const cells = kind === "f" ? item.cells : (item.cell ? [item.cell] : []);
  const cellNodes = cells.flatMap((k) => [...document.querySelectorAll(`[data-cell="${CSS.escape(k)}"]`)]);
  const marks = [...document.querySelectorAll(`mark[data-${kind}~="${i}"]`)];
  const own = document.querySelector(kind === "f" ? `li[data-finding="${i}"]` : `tr[data-claim="${i}"]`);
  for (const node of [...cellNodes, ...marks, own]) if (node) node.classList.add("active");
  if (cellNodes.length) reveal(cellNodes[0]);
  if (marks.length) reveal(marks[0]);
}

// --- loading ------------------------------------------------------------------------------------------------

function render(result) {
  doc = result;
  renderSummary();
  renderAssessment();
  renderTables();
  renderSections();
  renderFindings();
  renderClaims();
  renderStatements();
  $("result").hidden = false;
  document.documentElement.style.setProperty("--header", `${document.querySelector("header").offsetHeight}px`);
}

function download() {
  const blob = new Blob([JSON.stringify(doc, null, 2)], {type: "application/json"});
  const link = el("a", {href: URL.createObjectURL(blob),
    download: `${(doc.source.filename || "report").replace(/\.[^.]*$/, "")}.gongkai.json`});
  document.body.append(link);
  link.click();
  link.remove();
}

async function submit(event) {
  event.preventDefault();
  const file = $("file").files[0], previous = $("previous").files[0], text = $("text").value;
  const status = $("status");
  let request;
  if (file) {
    const form = new FormData();
    form.append("file", file);
    if (previous) form.append("previous", previous);
    request = {method: "POST", body: form};
  } else if (text.trim()) {
    request = {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify({text})};
  } else {
    status.textContent = "请选择文件或粘贴全文 / Choose a file or paste the text.";
    status.className = "error";
    return;
  }
  status.textContent = "正在分析… / Analysing…";
  status.className = "";
  delete status.dataset.done;
  $("analyze").disabled = true;
  try {
    const response = await fetch("/v1/analyze", request);
    const body = await response.json().catch(() => ({message: `HTTP ${response.status}`}));
    if (!response.ok) throw new Error(body.message || body.error || `HTTP ${response.status}`);
    render(body);
    status.textContent = `完成 / Done: ${body.findings.length} findings`;
    status.dataset.done = "1";
  } catch (error) {
    status.textContent = error.message;
    status.className = "error";
  } finally {
    $("analyze").disabled = false;
  }
}

// /?report=SHA256 (a click on /corpus): the stored result of that report, from the results store.
async function showStored(sha256) {
  const status = $("status");
  status.textContent = "正在读取… / Loading…";
  try {
    const response = await fetch(`/v1/reports/${encodeURIComponent(sha256)}`);
    const body = await response.json().catch(() => ({message: `HTTP ${response.status}`}));
    if (!response.ok) throw new Error(body.message || body.error || `HTTP ${response.status}`);
    render(body);
    status.textContent = `报告库 / From the store: ${body.findings.length} findings`;
    status.dataset.done = "1";
  } catch (error) {
    status.textContent = error.message;
    status.className = "error";
  }
}

$("upload").addEventListener("submit", submit);
const embedded = document.getElementById("gongkai-data");  // `gongkai analyze --html` puts the document here
const stored = new URLSearchParams(location.search).get("report");
if (embedded) {
  document.body.classList.add("standalone");
  render(JSON.parse(embedded.textContent));
} else if (stored) {
  showStored(stored);
}
window.gongkai = {render, select, get doc() { return doc; }};
