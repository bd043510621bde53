// The tablet standing on a counter. Paired once with a code from the counter's console (an HttpOnly
// cookie bound to the counter), it shows the ticket being served there, and after "Hoàn thành" asks the
// citizen to rate that ticket: four faces, then at the two lowest the reasons and a complaint. Whatever it
// shows, it returns to the waiting screen after 30 seconds untouched. The hub words everything it shows.
"use strict";

const $ = (id) => document.getElementById(id);
const UNTOUCHED_MS = 30000;
const state = { csrf: "", view: null, screen: "idle", number: null, dismissed: null, level: null, timer: null, source: null };

async function api(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = state.csrf;
  let response;
  try {
    response = await fetch(path, { method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw { message: "Không kết nối được với máy chủ. Vui lòng báo cán bộ." };
  }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw { status: response.status, message: (json && json.message_vi) || ("Lỗi " + response.status) };
  return json;
}

function show(screen) {
  state.screen = screen;
  for (const s of document.querySelectorAll(".screen")) s.hidden = s.id !== screen;
  clearTimeout(state.timer);
  // Asking, explaining and thanking all give way to the waiting screen when nobody touches the tablet.
  if (["rate", "why", "thanks"].includes(screen)) state.timer = setTimeout(leave, UNTOUCHED_MS);
}

function leave() {
  state.dismissed = state.number;
  $("error").textContent = "";
  draw();
}

document.addEventListener("pointerdown", () => {
  if (["rate", "why", "thanks"].includes(state.screen)) show(state.screen);
});
document.addEventListener("keydown", () => {
  if (["rate", "why", "thanks"].includes(state.screen)) show(state.screen);
});

// What to show from the hub's view: the ticket being served, or a rating for the one just finished.
function draw() {
  const v = state.view;
  if (!v) return;
  $("counter-name").textContent = v.counter_name;
  if (v.serving) {
    $("serving-text").textContent = v.counter_name + " — " + v.serving;
    show("serving");
    return;
  }
  const f = v.finished;
  if (state.screen === "why" || state.screen === "thanks") return;
  if (f && !f.rating && state.dismissed !== f.number) {
    if (state.screen !== "rate" || state.number !== f.number) {
      state.number = f.number;
      $("rate-number").textContent = f.number;
      show("rate");
    }
    return;
  }
  show("idle");
}

function buildFaces() {
  const buttons = state.view.levels.map((l) => {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.level = l.level;
    const face = document.createElement("img");
    face.className = "face";
    face.alt = "";
    face.src = "/mat/" + l.level + ".svg";
    const en = document.createElement("small");
    en.lang = "en";
    en.textContent = l.en;
    b.append(face, l.vi, document.createElement("br"), en);
    b.addEventListener("click", () => chose(l));
    return b;
  });
  $("faces").replaceChildren(...buttons);
  const chips = state.view.reasons.map((r) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = r;
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", () => b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true"));
    return b;
  });
  $("chips").replaceChildren(...chips);
}

function chose(level) {
  state.level = level.level;
  if (level.asks_why) {
    for (const b of $("chips").children) b.setAttribute("aria-pressed", "false");
    $("complaint").value = "";
    show("why");
  } else {
    send([], "");
  }
}

async function send(reasons, complaint) {
  $("error").textContent = "";
  try {
    await api("POST", "/api/v1/ratings", { number: state.number, level: state.level, reasons, complaint: complaint || null });
    state.dismissed = state.number;
    show("thanks");
  } catch (err) {
    $("error").textContent = err.message;
    if (err.status === 401) start();
  }
}

$("why-send").addEventListener("click", () => {
  const reasons = [...$("chips").children].filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.textContent);
  send(reasons, $("complaint").value.trim());
});
$("why-skip").addEventListener("click", () => send([], ""));

async function refresh() {
  try {
    const r = await api("GET", "/api/v1/tablet");
    state.csrf = r.csrf;
    const first = !state.view;
    state.view = r;
    if (first) buildFaces();
    draw();
  } catch (err) {
    if (err.status === 401) start();
  }
}

// Every change at this counter (and every reconnect) asks the hub again; the stream's own data is not
// trusted to say what to show.
const KINDS = ["called", "recalled", "serving", "done", "no_show", "transferred", "logged_in", "logged_out", "hello", "resync"];
function listen() {
  if (state.source) state.source.close();
  const source = new EventSource("/api/v1/events");
  state.source = source;
  // Citizens need not see the link while it works; staff see at a glance when it does not.
  source.onopen = () => { $("link").hidden = true; };
  source.onerror = () => {
    $("link").hidden = false;
    $("link").dataset.state = "offline";
    $("link").textContent = "Mất kết nối · đang kết nối lại…";
  };
  for (const kind of KINDS) {
    source.addEventListener(kind, (e) => {
      const data = e.data ? JSON.parse(e.data) : {};
      if (data.counter === undefined || data.counter === null || !state.view || data.counter === state.view.counter) refresh();
    });
  }
}

// ---- pairing ----

$("pair-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  try {
    await api("POST", "/api/v1/tablet/pair", { counter: Number($("pair-counter").value), code: $("pair-code").value.trim() });
    $("pair-code").value = "";
    await start();
  } catch (err) {
    $("pair-error").textContent = err.message;
  }
});

async function start() {
  try {
    const r = await api("GET", "/api/v1/tablet");
    state.csrf = r.csrf;
    state.view = r;
    buildFaces();
    $("pair").hidden = true;
    $("tablet").hidden = false;
    draw();
    listen();
  } catch (err) {
    if (state.source) state.source.close();
    $("tablet").hidden = true;
    $("pair").hidden = false;
    $("pair-error").textContent = err.status === 401 ? "" : err.message;
  }
}

start();
