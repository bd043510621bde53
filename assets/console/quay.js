// The counter console. The hub is the only authority: every action is a request, and the page redraws
// from the hub's snapshot after each event it hears, so a second tab or another counter can never leave
// this one showing something false. Live events come over Server-Sent Events; when the link drops the
// page says "Mất kết nối", reconnects by itself and asks for what it missed (?after=last id).
"use strict";

const $ = (id) => document.getElementById(id);
const state = { counter: null, staff: null, csrf: "", snapshot: null, lastId: 0, epoch: "", source: null, retry: null, refresh: null };

const EVENT_WORDS = {
  issued: "lấy số", confirmed: "đã in phiếu", voided: "phiếu bị hủy", called: "được mời đến",
  recalled: "được gọi lại tại", serving: "đang được phục vụ tại", done: "đã xong tại", no_show: "vắng mặt tại",
  transferred: "chuyển dịch vụ", reprinted: "in lại phiếu", paused: "tạm dừng", resumed: "tiếp tục",
  logged_in: "đăng nhập", logged_out: "đăng xuất", closed: "hết giờ, chưa được phục vụ",
  clock_accepted: "giờ máy chủ được chấp nhận, cấp số trở lại",
  catalog_published: "danh mục thủ tục được cập nhật",
};

async function api(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = state.csrf;
  let response;
  try {
    response = await fetch(path, { method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    setLink("offline");
    throw { message: "Không kết nối được với máy chủ. Kiểm tra mạng rồi thử lại." };
  }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401 && state.counter !== null && path !== "/api/v1/counter/login") {
    state.counter = null;
    showLogin("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.");
  }
  if (!response.ok) throw { status: response.status, message: (json && json.message_vi) || ("Lỗi " + response.status) };
  return json;
}

function say(text, isError) {
  const m = $("message");
  m.textContent = text;
  m.className = isError ? "error" : "";
}

function setLink(s) {
  const link = $("link");
  link.dataset.state = s;
  link.textContent = { online: "Đã kết nối", connecting: "Đang kết nối…", offline: "Mất kết nối · đang kết nối lại…" }[s];
}

// ---- login ----

function showLogin(error) {
  stopEvents();
  $("console").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = error || "";
  $("login-pin").value = "";
  ($("login-counter").value ? $("login-pin") : $("login-counter")).focus();
}

$("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const counter = Number($("login-counter").value);
  const username = $("login-username").value.trim();
  const body = { counter, pin: $("login-pin").value };
  if (username) body.username = username;
  try {
    const r = await api("POST", "/api/v1/counter/login", body);
    state.csrf = r.csrf;
    state.counter = r.counter;
    state.staff = r.staff;
    await enter();
  } catch (err) {
    $("login-error").textContent = err.message;
    $("login-pin").value = "";
    $("login-pin").focus();
  }
});

$("logout").addEventListener("click", async () => {
  try { await api("POST", "/api/v1/counter/logout", {}); } catch (e) { /* the session may be gone already */ }
  state.counter = null;
  showLogin("");
});

// Who works the counter: a staff member may change their own PIN; a login with the counter's PIN has none.
function showStaff() {
  $("staff-name").textContent = state.staff ? state.staff.name : "Không tên (mã PIN của quầy)";
  $("change-pin").hidden = !state.staff;
}

$("change-pin").addEventListener("click", async () => {
  const ok = await ask("dlg-pin", () => {
    for (const id of ["pin-current", "pin-new", "pin-again"]) $(id).value = "";
  });
  if (!ok) return;
  if ($("pin-new").value !== $("pin-again").value) {
    say("Hai lần nhập mã mới không giống nhau. Mã PIN chưa đổi.", true);
    return;
  }
  try {
    await api("POST", "/api/v1/staff/secret", { current: $("pin-current").value, new: $("pin-new").value });
    say("Đã đổi mã PIN.", false);
  } catch (err) {
    say(err.message, true);
  }
});

$("tablet-code").addEventListener("click", async () => {
  try {
    const r = await api("POST", "/api/v1/counter/tablet-code", {});
    await ask("dlg-tablet", () => {
      $("tablet-url").textContent = location.origin + "/danh-gia";
      $("tablet-code-text").textContent = "Quầy " + state.counter + " · " + r.code;
      const until = new Date(r.expires_ms).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" });
      $("tablet-expiry").textContent = "Mã dùng được một lần, đến " + until + ". Ghép máy mới thì máy cũ thôi dùng.";
    });
  } catch (err) {
    say(err.message, true);
  }
});

async function enter() {
  showStaff();
  $("login").hidden = true;
  $("console").hidden = false;
  await refresh();
  startEvents();
  loadPrinters();
}

// ---- drawing ----

function me() {
  return state.snapshot && state.snapshot.counters.find((c) => c.number === state.counter);
}

function serviceName(code) {
  const s = state.snapshot && state.snapshot.services.find((x) => x.code === code);
  return s ? s.name_vi : code;
}

function draw() {
  const c = me();
  if (!c) return;
  $("counter-name").textContent = c.name;
  document.title = c.name + " · motcua";
  $("paused").hidden = !c.paused;
  // The kiosks cannot give numbers (the hub's clock reads earlier than its last event): staff must know.
  const stopped = state.snapshot.issuing_stopped;
  $("issuing-stopped").hidden = !stopped;
  $("issuing-stopped").textContent = stopped ? stopped.message_vi : "";
  $("pause").firstChild.textContent = c.paused ? "Tiếp tục " : "Tạm dừng ";
  const t = c.current;
  $("current-number").textContent = t ? t.number : "—";
  $("current-service").textContent = t ? serviceName(t.service) + (t.priority ? " · Ưu tiên: " + t.priority : "") + (t.booked ? " · Đặt lịch" : "") : "Chưa gọi ai";
  $("current-detail").textContent = t
    ? t.state_vi + (t.state === "called" && t.recalls ? " (gọi lại " + t.recalls + " lần)" : "")
      + " · đã chờ " + t.waited_min + " phút"
    : "";
  const sc = $("start-complete");
  sc.firstChild.textContent = t && t.state === "serving" ? "Hoàn thành " : "Bắt đầu ";
  for (const b of document.querySelectorAll("#actions button")) {
    const a = b.dataset.action;
    const needsTicket = ["recall", "no-show", "start-complete", "transfer", "receive"].includes(a);
    b.disabled = (needsTicket && !t) || (c.paused && ["next", "call"].includes(a));
  }
  const mine = state.snapshot.waiting.filter((w) => c.services.includes(w.service));
  $("waiting-count").textContent = "(" + mine.length + ")";
  const rows = mine.map((w) => {
    const tr = document.createElement("tr");
    if (w.priority) tr.className = "priority";
    for (const text of [w.number, serviceName(w.service), w.waited_min + " phút", w.booked ? "Đặt lịch" : w.priority || ""]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.appendChild(td);
    }
    return tr;
  });
  if (!rows.length) {
    const tr = document.createElement("tr");
    tr.innerHTML = '<td colspan="4" class="quiet">Không có ai đang chờ.</td>';
    rows.push(tr);
  }
  $("waiting-list").replaceChildren(...rows);
  $("done-today").textContent = c.done_today;
  $("no-show-today").textContent = c.no_show_today;
}

async function refresh() {
  try {
    const snap = await api("GET", "/api/v1/snapshot");
    state.snapshot = snap;
    // Another epoch: the database was restored, and ids from before mean nothing.
    if (!state.lastId || (state.epoch && snap.epoch !== state.epoch)) state.lastId = snap.last_event_id;
    state.epoch = snap.epoch;
    draw();
  } catch (e) { /* the link state says it */ }
}

function refreshSoon() {
  clearTimeout(state.refresh);
  state.refresh = setTimeout(refresh, 60);
}

function drawPrinters(list) {
  const items = list.map((p) => {
    const li = document.createElement("li");
    li.dataset.state = p.state;
    const when = new Date(p.at_ms).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" });
    li.innerHTML = "<b></b> <span></span> <small class='quiet'></small>";
    li.children[0].textContent = p.device;
    li.children[1].textContent = p.message_vi + (p.unconfirmed ? " · " + p.unconfirmed + " phiếu chưa xác nhận hôm nay" : "");
    li.children[2].textContent = when;
    return li;
  });
  if (items.length) $("printer-list").replaceChildren(...items);
}

async function loadPrinters() {
  try { drawPrinters(await api("GET", "/api/v1/printers")); } catch (e) { /* retried on reconnect */ }
}

function logEvent(e) {
  const at = new Date(e.at_ms).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const where = e.counter ? " Quầy " + e.counter : "";
  const words = EVENT_WORDS[e.kind] || e.kind;
  const li = document.createElement("li");
  li.dataset.id = e.id;
  li.textContent = at + " " + (e.number || "") + " " + words + where
    + (e.kind === "transferred" && e.service ? " → " + serviceName(e.service) : "");
  const log = $("event-log");
  log.prepend(li);
  while (log.children.length > 50) log.lastChild.remove();
}

// ---- live events ----

function stopEvents() {
  if (state.source) state.source.close();
  state.source = null;
  clearTimeout(state.retry);
}

function startEvents() {
  stopEvents();
  setLink("connecting");
  const source = new EventSource("/api/v1/events?after=" + state.lastId + (state.epoch ? "&epoch=" + state.epoch : ""));
  state.source = source;
  source.onopen = () => { setLink("online"); refresh(); loadPrinters(); };
  source.onerror = () => {
    setLink("offline");
    // The browser retries a dropped link by itself; a refused one (hub restarting) is retried here.
    if (source.readyState === EventSource.CLOSED) {
      state.source = null;
      state.retry = setTimeout(startEvents, 2000);
    }
  };
  for (const kind of Object.keys(EVENT_WORDS)) {
    source.addEventListener(kind, (m) => {
      const e = JSON.parse(m.data);
      if (e.id <= state.lastId && state.snapshot) { return; }
      state.lastId = e.id;
      logEvent(e);
      refreshSoon();
    });
  }
  // The hub's greeting: a database with another epoch means everything is read again.
  source.addEventListener("hello", (m) => {
    const h = JSON.parse(m.data);
    if (state.epoch && h.epoch !== state.epoch) resync(h);
  });
  // Too far behind (or the database changed): the whole hall again, then on from the hub's place.
  source.addEventListener("resync", (m) => resync(JSON.parse(m.data)));
  source.addEventListener("counts", refreshSoon);
  source.addEventListener("health", (m) => drawPrinters(JSON.parse(m.data)));
}

function resync(h) {
  state.epoch = h.epoch;
  state.lastId = h.last_event_id;
  $("event-log").replaceChildren();
  refresh();
}

// A link can die without an error (a cable pulled mid-stream): the hub is asked for its health now and
// then, and a failure reconnects.
setInterval(async () => {
  if (!state.counter) return;
  try {
    const r = await fetch("/healthz", { cache: "no-store" });
    if (!r.ok) throw new Error();
    const h = await r.json();
    if (state.epoch && h.epoch !== state.epoch) { await refresh(); startEvents(); return; }
    if (h.last_event_id > state.lastId && (!state.source || state.source.readyState !== EventSource.OPEN)) startEvents();
    // The daily backup failed (a USB stick unplugged, a share full): staff see it until one succeeds.
    const failed = h.backup && h.backup.error;
    $("backup-failed").hidden = !failed;
    $("backup-failed").textContent = failed ? "Sao lưu hằng ngày không thực hiện được, báo cán bộ kỹ thuật: " + failed : "";
    // The hub's disk is full: every change (taking a number, calling, receiving) is refused until a
    // technician frees space; the hub saves again by itself once there is room.
    $("disk-full").hidden = !h.disk_full_since_ms;
    // The province has not had the hall's figures for over an hour (the WAN is down): the hall works on,
    // and the technician should know.
    const p = h.province;
    const late = p && p.lag_ms >= 3600000;
    $("province-late").hidden = !late;
    $("province-late").textContent = late
      ? "Chưa gửi được số liệu lên tỉnh trong " + Math.floor(p.lag_ms / 3600000) + " giờ qua (" + (p.newest - p.acked) +
        " dòng chờ gửi). Quầy vẫn làm việc bình thường; báo cán bộ kỹ thuật kiểm tra mạng."
      : "";
  } catch (e) {
    setLink("offline");
    if (state.source && state.source.readyState === EventSource.OPEN) startEvents();
  }
}, 5000);

// ---- actions ----

function ask(dialogId, prepare) {
  return new Promise((resolve) => {
    const d = $(dialogId);
    prepare();
    d.returnValue = "";
    d.onclose = () => resolve(d.returnValue === "ok");
    d.showModal();
  });
}

const ACTIONS = {
  next: async () => {
    const r = await api("POST", "/api/v1/counter/next", {});
    return r.ticket ? "Đã gọi " + r.ticket.number : r.message_vi;
  },
  recall: async () => "Đã gọi lại " + (await api("POST", "/api/v1/counter/recall", {})).ticket.number,
  "no-show": async () => "Đã ghi vắng mặt: " + (await api("POST", "/api/v1/counter/no-show", {})).ticket.number,
  "start-complete": async () => {
    const t = me() && me().current;
    if (t && t.state === "serving") return "Đã hoàn thành " + (await api("POST", "/api/v1/counter/complete", {})).ticket.number;
    return "Bắt đầu phục vụ " + (await api("POST", "/api/v1/counter/start", {})).ticket.number;
  },
  transfer: async () => {
    const c = me();
    const ok = await ask("dlg-transfer", () => {
      const options = state.snapshot.services
        .filter((s) => !c.current || s.code !== c.current.service)
        .map((s) => new Option(s.name_vi + " (" + s.prefix + ")", s.code));
      $("transfer-service").replaceChildren(...options);
    });
    if (!ok) return null;
    const r = await api("POST", "/api/v1/counter/transfer", { service: $("transfer-service").value });
    return "Đã chuyển " + r.ticket.number + " sang " + serviceName(r.ticket.service);
  },
  call: async () => {
    const ok = await ask("dlg-call", () => { $("call-number").value = ""; $("call-reason").value = ""; });
    if (!ok) return null;
    const number = $("call-number").value.trim().toUpperCase();
    const r = await api("POST", "/api/v1/counter/call", { number, reason: $("call-reason").value.trim() });
    return "Đã gọi " + r.ticket.number;
  },
  pause: async () => {
    const paused = me() && me().paused;
    await api("POST", paused ? "/api/v1/counter/resume" : "/api/v1/counter/pause", {});
    return paused ? "Quầy đã tiếp tục nhận." : "Quầy tạm dừng: không ai được gọi đến đây.";
  },
  receive: async () => {
    await loadProcedures();
    // The chip ID card the citizen scanned at the kiosk, if any: it fills in the form, to be checked
    // against the card. It is not kept here after the dialog closes.
    const card = await api("GET", "/api/v1/counter/card").catch(() => null);
    const ok = await ask("dlg-receive", () => {
      for (const id of ["receive-procedure", "receive-name", "receive-phone", "receive-documents", "receive-id", "receive-birth"]) $(id).value = "";
      $("receive-sms").checked = false;
      $("receive-card").hidden = !card;
      if (card) {
        $("receive-card-ticket").textContent = card.ticket;
        $("receive-id").value = card.id;
        $("receive-birth").value = card.birth;
        $("receive-name").value = card.name || "";
      }
    });
    const identity = { applicant_id: $("receive-id").value.trim(), applicant_birth: $("receive-birth").value.trim() };
    for (const id of ["receive-id", "receive-birth"]) $(id).value = "";
    if (!ok) return null;
    // "1.001193 — Thủ tục đăng ký khai sinh", or a bare code.
    const procedure = $("receive-procedure").value.split("—")[0].trim();
    const documents = $("receive-documents").value.split("\n").map((d) => d.trim()).filter((d) => d);
    // The citizen's consent to the "result ready" text, given here: it goes with the ticket to the dossier.
    if ($("receive-sms").checked && $("receive-phone").value.trim()) {
      await api("POST", "/api/v1/counter/sms", { phone: $("receive-phone").value.trim() });
    }
    const r = await api("POST", "/api/v1/counter/dossier", {
      procedure_code: procedure, applicant_name: $("receive-name").value.trim(),
      applicant_phone: $("receive-phone").value.trim(), documents, ...identity,
    });
    state.lastDossier = r.code;
    const printed = r.outcome === "printed" ? "đã in giấy hẹn" : "giấy hẹn chưa in được (" + (r.detail || r.outcome) + ")";
    return "Đã tiếp nhận hồ sơ " + r.code + (r.appointment ? " · hẹn trả " + r.appointment : "") + " · " + printed;
  },
  form: async () => {
    const ok = await ask("dlg-form", () => {
      $("form-code").value = state.lastDossier || "";
      for (const id of ["form-documents", "form-reason", "form-appointment"]) $(id).value = "";
    });
    if (!ok) return null;
    const body = { code: $("form-code").value.trim(), form: $("form-kind").value,
      documents: $("form-documents").value.split("\n").map((d) => d.trim()).filter((d) => d),
      reason: $("form-reason").value.trim() };
    // "2026-08-10T16:00" from the date picker, as the hub reads it.
    if ($("form-appointment").value) body.appointment = $("form-appointment").value.replace("T", " ");
    const r = await api("POST", "/api/v1/counter/dossier/form", body);
    const printed = r.outcome === "printed" ? "đã in" : "chưa in được (" + (r.detail || r.outcome) + "), đã ghi nhận";
    return "Mẫu " + r.form + " cho hồ sơ " + r.code + ": " + printed;
  },
  reprint: async () => {
    const t = me() && me().current;
    const ok = await ask("dlg-reprint", () => { $("reprint-number").value = t ? t.number : ""; });
    if (!ok) return null;
    const r = await api("POST", "/api/v1/counter/reprint", { number: $("reprint-number").value.trim().toUpperCase() });
    return r.outcome === "printed" ? "Đã in lại " + r.number : "In lại " + r.number + ": " + r.outcome + (r.detail ? " (" + r.detail + ")" : "");
  },
};

let busy = false;
async function run(action) {
  const button = document.querySelector('#actions button[data-action="' + action + '"]');
  if (busy || !button || button.disabled) return;
  busy = true;
  try {
    const text = await ACTIONS[action]();
    if (text) say(text, false);
  } catch (err) {
    say(err.message, true);
  } finally {
    busy = false;
    await refresh();
  }
}

for (const b of document.querySelectorAll("#actions button")) {
  b.addEventListener("click", () => run(b.dataset.action));
}

const KEYS = {
  n: "next", l: "recall", v: "no-show", b: "start-complete", c: "transfer", g: "call", t: "pause", i: "reprint",
  h: "receive", p: "form",
};

// The catalog's procedures for the receive dialog, fetched once.
let procedures = null;
async function loadProcedures() {
  if (procedures) return;
  procedures = await api("GET", "/api/v1/procedures");
  $("procedures").replaceChildren(...procedures.map((p) => new Option(p.code + " — " + p.name)));
}
document.addEventListener("keydown", (e) => {
  if ($("console").hidden || e.ctrlKey || e.altKey || e.metaKey || document.querySelector("dialog[open]")) return;
  if (["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) return;
  const action = KEYS[e.key.toLowerCase()];
  if (action) { e.preventDefault(); run(action); }
});

// ---- start ----

(async () => {
  try {
    const r = await api("GET", "/api/v1/counter");
    state.csrf = r.csrf;
    state.counter = r.counter.number;
    state.staff = r.staff;
    await enter();
  } catch (e) {
    showLogin(e.status === 401 ? "" : e.message);
  }
})();
