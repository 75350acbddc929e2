/* Coach chat widget: one <script src="https://coach.example/static/widget.js" data-token="coach_..." defer>
 * adds a floating chat to any page. Without data-token (Coach's own pages) it uses the session
 * cookie and the page's CSRF token (data-csrf).
 *
 * Everything the model or the records say is inserted as text (textContent), never as HTML;
 * citation markers [n] become links only to this Coach server's record pages.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__coachWidget) return;
  window.__coachWidget = true;

  var base = new URL(script.src, location.href).origin;
  var token = script.getAttribute("data-token") || "";
  var csrf = script.getAttribute("data-csrf") || "";
  var title = script.getAttribute("data-title") || "Ask Coach";
  var storeKey = "coach-session:" + base;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function headers() {
    var h = { "Content-Type": "application/json", "Accept": "text/event-stream" };
    if (token) h["Authorization"] = "Bearer " + token;
    else if (csrf) h["X-CSRF-Token"] = csrf;
    return h;
  }

  function safeUrl(url) {
    try {
      var u = new URL(url, base);
      return u.origin === base ? u.href : null;
    } catch (e) { return null; }
  }

  /* Answer text with [n] markers as links to the cited records; everything else stays text. */
  function renderAnswer(target, text, citations) {
    target.textContent = "";
    var parts = String(text).split(/\[(\d{1,3})\]/);
    parts.forEach(function (part, i) {
      if (i % 2 === 0) { if (part) target.appendChild(document.createTextNode(part)); return; }
      var c = citations[Number(part) - 1];
      var href = c && safeUrl(c.url);
      if (!href) { target.appendChild(document.createTextNode("[" + part + "]")); return; }
      var a = el("a", { href: href, "class": "coach-cite", target: token ? "_blank" : "_self", rel: "noopener" }, "[" + part + "]");
      a.setAttribute("aria-label", "source " + part + ": " + (c.label || c.kind));
      target.appendChild(a);
    });
    if (citations.length) {
      var list = el("ol", { "class": "coach-sources", "aria-label": "Sources" });
      citations.forEach(function (c) {
        var li = el("li");
        var href = safeUrl(c.url);
        li.appendChild(href ? el("a", { href: href, target: token ? "_blank" : "_self", rel: "noopener" }, c.label || c.kind)
                            : document.createTextNode(c.label || c.kind));
        list.appendChild(li);
      });
      target.appendChild(list);
    }
  }

  /* POST a message and hand each server-sent event to onEvent(name, data). */
  function ask(message, sessionId, signal, onEvent) {
    return fetch(base + "/api/chat", {
      method: "POST", headers: headers(), signal: signal,
      credentials: token ? "omit" : "same-origin",
      body: JSON.stringify({ message: message, conversation_id: sessionId || null })
    }).then(function (res) {
      if (!res.ok) {
        return res.json().catch(function () { return {}; }).then(function (body) {
          var detail = typeof body.detail === "string" ? body.detail : "Coach could not answer (" + res.status + ").";
          if (res.status === 429) {
            /* Over a limit: say so plainly, with the wait the server asked for. */
            var wait = parseInt(res.headers.get("Retry-After") || "", 10);
            var when = wait > 0 ? " You can ask again in " + (wait < 90 ? wait + " seconds." : Math.ceil(wait / 60) + " minutes.") : "";
            onEvent("limited", { message: detail + when, retryAfter: wait > 0 ? wait : null });
            return;
          }
          onEvent("error", { message: detail });
        });
      }
      var reader = res.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) return;
          buffer += decoder.decode(chunk.value, { stream: true });
          var frames = buffer.split("\n\n");
          buffer = frames.pop();
          frames.forEach(function (frame) {
            var name = "message", data = "";
            frame.split("\n").forEach(function (line) {
              if (line.indexOf("event: ") === 0) name = line.slice(7);
              else if (line.indexOf("data: ") === 0) data += line.slice(6);
            });
            if (data) onEvent(name, JSON.parse(data));
          });
          return pump();
        });
      }
      return pump();
    });
  }

  /* One question/answer exchange rendered into `bubble`; `status` shows tool progress. */
  function converse(message, sessionId, bubble, status, done) {
    var controller = new AbortController();
    var text = el("div", { "class": "coach-text" });
    bubble.appendChild(text);
    var streamed = "";
    var session = sessionId;
    ask(message, sessionId, controller.signal, function (name, data) {
      if (name === "session") session = data.session_id;
      else if (name === "tool_start") status.textContent = (data.label || "working") + "…";
      else if (name === "tool_end") status.textContent = "";
      else if (name === "token") {
        streamed += data.text;
        text.textContent = streamed;
        if (bubble.parentNode) bubble.parentNode.scrollTop = bubble.parentNode.scrollHeight;
      }
      else if (name === "done") { status.textContent = ""; session = data.session_id || session; renderAnswer(text, data.answer, data.citations || []); }
      else if (name === "error") { status.textContent = ""; text.classList.add("coach-error"); text.textContent = data.message; }
      else if (name === "limited") { status.textContent = ""; text.classList.add("coach-error", "coach-limited"); text.setAttribute("role", "alert"); text.textContent = data.message; }
    }).catch(function (err) {
      status.textContent = "";
      if (err && err.name === "AbortError") { text.appendChild(el("span", { "class": "coach-stopped" }, " (stopped)")); }
      else { text.classList.add("coach-error"); text.textContent = "Coach is unreachable. Try again in a moment."; }
    }).then(function () { done(session); });
    return controller;
  }

  /* Coach's own pages: <div data-coach-ask="question"> gets the answer streamed into it. */
  function fillAskBlocks() {
    if (token) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-coach-ask]"), function (block) {
      var status = el("p", { "class": "coach-status", role: "status", "aria-live": "polite" });
      var bubble = el("div", { "class": "coach-answer-body", "aria-live": "polite", "aria-busy": "true" });
      block.textContent = "";
      block.appendChild(status);
      block.appendChild(bubble);
      converse(block.getAttribute("data-coach-ask"), null, bubble, status, function () { bubble.setAttribute("aria-busy", "false"); });
    });
  }

  function buildWidget() {
    var host = el("div", { id: "coach-widget" });
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    root.appendChild(el("link", { rel: "stylesheet", href: base + "/static/widget.css" }));

    var launcher = el("button", { type: "button", "class": "coach-launcher", "aria-expanded": "false", "aria-controls": "coach-panel" }, title);
    var panel = el("section", { id: "coach-panel", "class": "coach-panel", role: "dialog", "aria-label": "Coach chat", hidden: "" });
    var head = el("header", { "class": "coach-head" });
    head.appendChild(el("h2", {}, "Coach"));
    var fresh = el("button", { type: "button", "class": "coach-ghost" }, "New chat");
    var close = el("button", { type: "button", "class": "coach-ghost", "aria-label": "Close chat" }, "×");
    head.appendChild(fresh);
    head.appendChild(close);
    var log = el("div", { "class": "coach-log", role: "log", "aria-live": "polite", "aria-relevant": "additions text", tabindex: "0" });
    var status = el("p", { "class": "coach-status", role: "status", "aria-live": "polite" });
    var form = el("form", { "class": "coach-form" });
    var label = el("label", { "for": "coach-input", "class": "coach-sr" }, "Your question");
    var input = el("textarea", { id: "coach-input", rows: "2", maxlength: "4000", placeholder: "Ask about your team's goals, 1:1s, KPIs…" });
    var send = el("button", { type: "submit", "class": "coach-send" }, "Send");
    var stop = el("button", { type: "button", "class": "coach-stop", hidden: "" }, "Stop");
    [label, input, send, stop].forEach(function (n) { form.appendChild(n); });
    [head, log, status, form].forEach(function (n) { panel.appendChild(n); });
    root.appendChild(launcher);
    root.appendChild(panel);
    document.body.appendChild(host);

    var sessionId = sessionStorage.getItem(storeKey) || null;
    var restored = false;
    var running = null;

    function addBubble(role, text) {
      var bubble = el("div", { "class": "coach-msg coach-" + role });
      bubble.appendChild(el("span", { "class": "coach-sr" }, role === "user" ? "You said: " : "Coach: "));
      if (text !== undefined) bubble.appendChild(el("div", { "class": "coach-text" }, text));
      log.appendChild(bubble);
      log.scrollTop = log.scrollHeight;
      return bubble;
    }

    function restore() {
      if (restored || !sessionId) return;
      restored = true;
      fetch(base + "/api/conversations/" + encodeURIComponent(sessionId), { headers: headers(), credentials: token ? "omit" : "same-origin" })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (conv) {
          if (!conv) { sessionId = null; sessionStorage.removeItem(storeKey); return; }
          conv.messages.forEach(function (m) {
            var bubble = addBubble(m.role === "user" ? "user" : "coach");
            var text = el("div", { "class": "coach-text" });
            bubble.appendChild(text);
            if (m.role === "user") text.textContent = m.content; else renderAnswer(text, m.content, m.citations || []);
          });
        }).catch(function () {});
    }

    function setOpen(open) {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      if (open) { restore(); input.focus(); } else { launcher.focus(); }
    }

    function setRunning(controller) {
      running = controller;
      stop.hidden = !controller;
      send.disabled = !!controller;
    }

    launcher.addEventListener("click", function () { setOpen(panel.hidden); });
    close.addEventListener("click", function () { setOpen(false); });
    panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.preventDefault(); setOpen(false); } });
    fresh.addEventListener("click", function () {
      if (running) running.abort();
      sessionId = null;
      sessionStorage.removeItem(storeKey);
      log.textContent = "";
      input.focus();
    });
    stop.addEventListener("click", function () { if (running) running.abort(); input.focus(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : send.click(); }
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var message = input.value.trim();
      if (!message || running) return;
      input.value = "";
      addBubble("user", message);
      var bubble = addBubble("coach");
      setRunning(converse(message, sessionId, bubble, status, function (session) {
        if (session) { sessionId = session; sessionStorage.setItem(storeKey, session); }
        setRunning(null);
        log.scrollTop = log.scrollHeight;
      }));
    });
  }

  function start() { buildWidget(); fillAskBlocks(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
