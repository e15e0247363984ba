// GatewayMock's dashboard: the live request feed (an EventSource on /__admin/requests/stream, never
// polled), the store, the fault rules, the namespaces and ready-to-copy commands, all through the
// documented /__admin API of the server that served this file. Everything that comes from clients is
// written with textContent (never as markup), and the Content-Security-Policy allows no inline script.
"use strict";

const MAX_ROWS = 500;
const state = {
  namespace: "default",
  namespaces: new Map(), // name -> requests since it was made or reset
  entries: [], // newest first
  paused: false,
  pending: [],
  selected: null,
  keys: null,
};

const $ = (id) => document.getElementById(id);

/** An element with text or child nodes; attributes set one by one (never parsed as markup). */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A control-plane call in the selected namespace; the parsed JSON body, or an Error with its message. */
async function admin(method, path, body) {
  const headers = { "X-Mock-Namespace": state.namespace };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(`/__admin/${path}`, init);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (_) { json = null; }
  if (!response.ok) {
    const message = (json && json.error && json.error.message) || text || response.statusText;
    throw new Error(`${response.status}: ${message}`);
  }
  return json;
}

// MARK: - The feed

function statusClass(entry) {
  if (entry.fault) return "sfault";
  return entry.status === null ? "sfault" : `s${String(entry.status)[0]}`;
}

function isMiss(entry) {
  return entry.route === null && (entry.status === 404 || entry.status === 405);
}

/** The credential header as the journal shows it (already redacted by the server). */
function keyOf(entry) {
  const header = (entry.headers || []).find((h) => {
    const name = h.name.toLowerCase();
    return name === "authorization" || name === "x-portkey-api-key";
  });
  return header ? header.value : "";
}

function pathAndQuery(entry) {
  const parts = [];
  for (const [name, values] of Object.entries(entry.query || {})) {
    for (const value of values) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return parts.length ? `${entry.path}?${parts.join("&")}` : entry.path;
}

function outcomeOf(entry) {
  if (entry.fault) return `fault: ${entry.fault}`;
  if (entry.forced) return "forced";
  if (isMiss(entry)) return "no route: wrong base URL or method?";
  return entry.route || "";
}

function matchesFilters(entry) {
  const vendor = $("filter-vendor").value;
  const namespace = $("filter-namespace").value;
  const status = $("filter-status").value;
  if (vendor && entry.vendor !== vendor) return false;
  if (namespace && entry.namespace !== namespace) return false;
  if (status === "miss") return isMiss(entry);
  if (status === "fault") return Boolean(entry.fault || entry.forced);
  if (status) return entry.status !== null && String(entry.status)[0] === status;
  return true;
}

function row(entry) {
  const time = entry.time ? entry.time.replace(/^.*T/, "").replace(/Z$/, "") : "";
  const tr = el(
    "tr",
    { class: isMiss(entry) ? "miss" : "" },
    el("td", { class: "mono" }, time),
    el("td", {}, entry.namespace),
    el("td", { class: "mono" }, entry.method),
    el("td", { class: "path" }, pathAndQuery(entry)),
    el("td", { class: `status ${statusClass(entry)}` }, entry.status === null ? "—" : entry.status, isMiss(entry) ? " miss" : null),
    el("td", {}, outcomeOf(entry)),
    el("td", { class: "mono" }, keyOf(entry)),
  );
  tr.addEventListener("click", () => showDetail(entry, tr));
  if (entry === state.selected) tr.classList.add("selected");
  return tr;
}

function renderFeed() {
  const body = $("feed").tBodies[0];
  const shown = state.entries.filter(matchesFilters);
  body.replaceChildren(...shown.map(row));
  $("feed-count").textContent = `${shown.length} shown of ${state.entries.length}`;
  $("feed-empty").hidden = state.entries.length > 0;
}

function addEntry(entry) {
  state.entries.unshift(entry);
  if (state.entries.length > MAX_ROWS) state.entries.length = MAX_ROWS;
  countRequest(entry.namespace);
  if (matchesFilters(entry)) {
    const body = $("feed").tBodies[0];
    body.prepend(row(entry));
    while (body.rows.length > MAX_ROWS) body.deleteRow(-1);
  }
  $("feed-count").textContent = `${$("feed").tBodies[0].rows.length} shown of ${state.entries.length}`;
  $("feed-empty").hidden = true;
  // The store changed: read it again (an event, not a timer).
  const writes = entry.method !== "GET" && entry.method !== "HEAD" && entry.method !== "OPTIONS";
  if (writes && entry.namespace === state.namespace && entry.status !== null && entry.status < 300) {
    scheduleStoreReload();
  }
}

function receive(entry) {
  if (state.paused) {
    state.pending.push(entry);
    $("paused-note").textContent = `Paused: ${state.pending.length} new request(s) waiting.`;
    return;
  }
  addEntry(entry);
}

function setPaused(paused) {
  state.paused = paused;
  $("pause").setAttribute("aria-pressed", String(paused));
  $("pause").textContent = paused ? "Resume" : "Pause";
  $("paused-note").hidden = !paused;
  $("paused-note").textContent = "Paused: new requests wait here.";
  if (!paused) {
    const pending = state.pending;
    state.pending = [];
    for (const entry of pending) addEntry(entry);
  }
}

function connectFeed() {
  const source = new EventSource("/__admin/requests/stream?namespace=*");
  const connection = $("connection");
  source.onopen = () => {
    connection.dataset.state = "open";
    connection.textContent = "live";
  };
  source.onerror = () => {
    connection.dataset.state = source.readyState === EventSource.CLOSED ? "closed" : "connecting";
    connection.textContent = source.readyState === EventSource.CLOSED ? "feed closed (reload the page)" : "reconnecting…";
  };
  source.onmessage = (event) => {
    try {
      receive(JSON.parse(event.data));
    } catch (error) {
      console.error("unreadable feed event", error);
    }
  };
}

// MARK: - One request in full

function keyValueTable(pairs) {
  return el(
    "table",
    {},
    el("tbody", {}, ...pairs.map(([name, value]) => el("tr", {}, el("th", {}, name), el("td", { class: "mono" }, value)))),
  );
}

function showDetail(entry, tr) {
  state.selected = entry;
  for (const other of $("feed").querySelectorAll("tr.selected")) other.classList.remove("selected");
  tr.classList.add("selected");
  const query = [];
  for (const [name, values] of Object.entries(entry.query || {})) for (const value of values) query.push([name, value]);
  let body = entry.body;
  if (body) {
    try { body = JSON.stringify(JSON.parse(body), null, 2); } catch (_) { /* shown as sent */ }
  }
  $("detail").replaceChildren(
    el("p", { class: "mono" }, `${entry.method} ${pathAndQuery(entry)} → ${entry.status === null ? "no response" : entry.status}`),
    isMiss(entry) ? el("p", { class: "error" }, "No route answered this path: check the client's base URL and method.") : null,
    el("h3", {}, "Summary"),
    keyValueTable([
      ["time", entry.time], ["namespace", entry.namespace], ["vendor", entry.vendor], ["route", entry.route ?? "none"],
      ["fault", entry.fault ?? "none"], ["forced", String(entry.forced)],
    ]),
    el("h3", {}, "Headers"),
    keyValueTable((entry.headers || []).map((h) => [h.name, h.value])),
    el("h3", {}, "Query (decoded)"),
    query.length ? keyValueTable(query) : el("p", { class: "note" }, "none"),
    el("h3", {}, "Body"),
    body ? el("pre", {}, body) : el("p", { class: "note" }, entry.body_base64 ? "binary (base64 in the JSON below)" : "none"),
    el("h3", {}, "Journal entry (JSON)"),
    el("pre", {}, JSON.stringify(entry, null, 2)),
  );
  $("detail-section").hidden = false;
  $("detail-section").scrollIntoView({ block: "nearest" });
}

// MARK: - Namespaces

function countRequest(name) {
  state.namespaces.set(name, (state.namespaces.get(name) || 0) + 1);
  renderNamespaces();
}

function renderNamespaces() {
  const names = [...state.namespaces.keys()].sort((a, b) => (a === "default" ? -1 : b === "default" ? 1 : a.localeCompare(b)));
  $("namespaces").tBodies[0].replaceChildren(
    ...names.map((name) => {
      return el("tr", {}, el("td", {}, name), el("td", {}, state.namespaces.get(name)));
    }),
  );
  for (const select of [$("namespace"), $("filter-namespace")]) {
    const current = select === $("namespace") ? state.namespace : select.value;
    const options = select === $("namespace") ? [] : [el("option", { value: "" }, "all")];
    const all = names.includes(current) || !current ? names : [...names, current];
    for (const name of all) options.push(el("option", { value: name }, name));
    select.replaceChildren(...options);
    select.value = current;
  }
}

async function loadNamespaces() {
  try {
    const list = await admin("GET", "namespaces");
    state.namespaces = new Map(list.namespaces.map((n) => [n.name, n.requests]));
  } catch (error) {
    if (!state.namespaces.has("default")) state.namespaces.set("default", 0);
  }
  renderNamespaces();
}

// MARK: - The store

const STORE_TABLES = [
  { title: "OpenRouter workspaces", path: "seed/openrouter/workspaces", columns: ["slug", "name", "id"] },
  { title: "OpenRouter workspace members", path: "seed/openrouter/members", columns: ["workspace_id", "user_id", "role"] },
  { title: "OpenRouter budgets", path: "seed/openrouter/budgets", columns: ["workspace_id", "reset_interval", "limit_usd"] },
  { title: "OpenRouter organization members", path: "seed/openrouter/organization-members", columns: ["id", "email", "role"] },
  { title: "Portkey workspaces", path: "seed/portkey/workspaces", columns: ["id", "name", "status"] },
  { title: "Portkey workspace members", path: "seed/portkey/members", columns: ["workspace_id", "user_id", "role"] },
  { title: "Portkey users", path: "seed/portkey/users", columns: ["id", "email", "role"] },
];

let storeReload = null;
function scheduleStoreReload() {
  if (storeReload) return;
  storeReload = setTimeout(() => {
    storeReload = null;
    loadStore();
  }, 250);
}

function cell(value) {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

async function loadStore() {
  $("store-namespace").textContent = `namespace ${state.namespace}`;
  const blocks = await Promise.all(
    STORE_TABLES.map(async (table) => {
      try {
        const rows = await admin("GET", table.path);
        return el(
          "div",
          { class: "store-table" },
          el("h3", {}, `${table.title} `, el("span", { class: "count" }, `(${rows.length})`)),
          el(
            "div",
            { class: "scroll" },
            el(
              "table",
              {},
              el("thead", {}, el("tr", {}, ...table.columns.map((c) => el("th", {}, c)))),
              el("tbody", {}, ...rows.map((r) => el("tr", {}, ...table.columns.map((c) => el("td", {}, cell(r[c])))))),
            ),
          ),
        );
      } catch (error) {
        return el("div", {}, el("h3", {}, table.title), el("p", { class: "error" }, error.message));
      }
    }),
  );
  $("store").replaceChildren(...blocks);
}

// MARK: - Fault rules

function renderFaults(faults) {
  $("faults-count").textContent = `(${faults.length})`;
  $("faults").tBodies[0].replaceChildren(
    ...faults.map((rule) => {
      const remove = el("button", { type: "button", class: "danger" }, "Remove");
      remove.addEventListener("click", () => run(() => admin("DELETE", `faults/${rule.id}`)).then(loadFaults));
      return el(
        "tr",
        {},
        el("td", {}, rule.id),
        el("td", {}, rule.vendor),
        el("td", { class: "mono" }, rule.method ?? "any"),
        el("td", { class: "mono" }, rule.path ?? "any"),
        el("td", {}, rule.fault ?? rule.status ?? ""),
        el("td", {}, rule.times ?? "always"),
        el("td", {}, rule.delay_ms === null ? "" : `${rule.delay_ms} ms`),
        el("td", {}, remove),
      );
    }),
  );
}

async function loadFaults() {
  try {
    renderFaults((await admin("GET", "faults")).faults);
  } catch (error) {
    $("fault-error").textContent = error.message;
  }
}

/** Runs a state-changing call, showing its error under the fault form; resolves either way. */
async function run(call) {
  $("fault-error").textContent = "";
  try {
    return await call();
  } catch (error) {
    $("fault-error").textContent = error.message;
    return null;
  }
}

function faultRuleFromForm(form) {
  const data = new FormData(form);
  const rule = { vendor: data.get("vendor") };
  const text = (name) => String(data.get(name) || "").trim();
  if (text("method")) rule.method = text("method").toUpperCase();
  if (text("path")) rule.path = text("path");
  if (text("fault")) rule.fault = text("fault");
  else if (text("status")) rule.status = Number(text("status"));
  if (text("times")) rule.times = Number(text("times"));
  if (text("delay_ms")) rule.delay_ms = Number(text("delay_ms"));
  return rule;
}

// MARK: - Commands

function commandBlock(title, text) {
  const copy = el("button", { type: "button" }, "Copy");
  const pre = el("pre", {}, text);
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      copy.textContent = "Copied";
    } catch (_) {
      getSelection().selectAllChildren(pre);
      copy.textContent = "Selected: press Ctrl+C";
    }
  });
  return el("div", { class: "command" }, el("h3", {}, title), copy, pre);
}

function renderCommands() {
  const base = location.origin;
  const keys = state.keys || {};
  const openRouterKey = (keys.openrouter && keys.openrouter.management && keys.openrouter.management[0]) || "";
  const portkeyKey = (keys.portkey && keys.portkey.admin && keys.portkey.admin[0]) || "";
  const namespaced = state.namespace !== "default";
  const nsHeader = namespaced ? ` -H 'X-Mock-Namespace: ${state.namespace}'` : "";
  const nsPython = namespaced ? `  # send X-Mock-Namespace: ${state.namespace} to use namespace ${state.namespace}\n` : "";
  $("commands").replaceChildren(
    commandBlock(
      "curl",
      `curl -H 'Authorization: Bearer ${openRouterKey}'${nsHeader} '${base}/api/v1/workspaces'\n` +
        `curl -H 'x-portkey-api-key: ${portkeyKey}'${nsHeader} '${base}/v1/admin/workspaces'\n` +
        `curl -N${nsHeader} '${base}/__admin/requests/stream'`,
    ),
    commandBlock(
      "Python SDKs",
      `from openrouter import OpenRouter\n` +
        `client = OpenRouter(api_key="${openRouterKey}", server_url="${base}/api/v1")\n` +
        `print(client.workspaces.list(limit=5))\n\n` +
        `from portkey_ai import Portkey\n` +
        `portkey = Portkey(api_key="${portkeyKey}", base_url="${base}/v1")\n` +
        `print(portkey.admin.workspaces.list(page_size=5, current_page=0))\n` +
        nsPython,
    ),
    commandBlock(
      "Environment variables",
      `export OPENROUTER_API_KEY='${openRouterKey}'\nexport OPENROUTER_SERVER_URL='${base}/api/v1'\n` +
        `export PORTKEY_API_KEY='${portkeyKey}'\nexport PORTKEY_BASE_URL='${base}/v1'`,
    ),
  );
}

async function loadKeys() {
  try {
    state.keys = await admin("GET", "seed/keys");
  } catch (_) {
    state.keys = null;
  }
  renderCommands();
}

// MARK: - Start

function selectNamespace(name) {
  state.namespace = name;
  renderNamespaces();
  loadStore();
  loadFaults();
  loadKeys();
}

function start() {
  $("namespace").addEventListener("change", (event) => selectNamespace(event.target.value));
  for (const id of ["filter-vendor", "filter-namespace", "filter-status"]) $(id).addEventListener("change", renderFeed);
  $("pause").addEventListener("click", () => setPaused(!state.paused));
  $("clear").addEventListener("click", () => {
    state.entries = [];
    renderFeed();
  });
  $("detail-close").addEventListener("click", () => {
    $("detail-section").hidden = true;
  });
  $("fault-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    if (await run(() => admin("POST", "faults", faultRuleFromForm(form)))) form.reset();
    loadFaults();
  });
  $("faults-clear").addEventListener("click", () => run(() => admin("DELETE", "faults")).then(loadFaults));
  $("reset").addEventListener("click", async () => {
    await run(() => admin("POST", "reset"));
    selectNamespace(state.namespace);
    loadNamespaces();
  });
  connectFeed();
  loadNamespaces();
  selectNamespace(state.namespace);
}

start();
