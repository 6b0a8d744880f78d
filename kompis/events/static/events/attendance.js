// The attendance tick-list: every tick is queued in localStorage and sent one by one (each with its own
// idempotency key) whenever there is a connection. A tick counts as sent only when the server answers with
// its JSON success for that tick. A tick the server refuses (JSON 400/404 with a reason) is un-ticked and its
// reason stays on the page. Anything else (logged out, an HTML page from a portal or proxy, an error
// status, no connection) keeps the tick queued and says so until it is sent.
(function () {
  "use strict";
  var form = document.getElementById("attendance-form");
  if (!form) return;
  var url = form.dataset.markUrl;
  var storeKey = "kompis-attendance:" + form.dataset.event;
  var status = document.getElementById("attendance-status");
  var problems = document.getElementById("attendance-problems");
  var sending = false;
  var blocked = null; // {message, login}: why the queue is stuck (not a refusal)
  var refusals = {}; // participant uid -> the server's reason, kept until a later tick for them is saved

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(storeKey, JSON.stringify(queue)); }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function csrfToken() {
    // the cookie first: logging in again (in another tab) gives a new token
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    return form.querySelector("input[name=csrfmiddlewaretoken]").value;
  }
  function boxFor(uid) { return form.querySelector("input[name=present][value='" + uid + "']"); }
  function nameFor(uid) {
    var box = boxFor(uid);
    return box && box.parentNode ? box.parentNode.textContent.trim() : "";
  }

  function render() {
    var n = load().length;
    form.dataset.pending = String(n);
    status.textContent = "";
    if (blocked) {
      status.append(blocked.message);
      if (blocked.login) {
        var link = document.createElement("a");
        link.href = blocked.login;
        link.textContent = form.dataset.login;
        status.append(" ", link);
      }
    } else if (n) {
      status.append(form.dataset.waiting.replace("%(n)s", n));
    } else if (Object.keys(refusals).length) {
      status.append(form.dataset.refused);
    } else {
      status.append(form.dataset.sent);
    }
    status.className = blocked ? "error-summary" : "muted";
    problems.textContent = "";
    Object.keys(refusals).forEach(function (uid) {
      var item = document.createElement("li");
      item.textContent = nameFor(uid) + ": " + refusals[uid];
      problems.append(item);
    });
    problems.hidden = !problems.children.length;
  }

  function drop(tick) { save(load().filter(function (t) { return t.key !== tick.key; })); }

  function refused(tick, message) {
    drop(tick);
    // un-tick (or re-tick) the box unless a later tick for the same person is still waiting
    var later = load().some(function (t) { return t.participant === tick.participant; });
    var box = boxFor(tick.participant);
    if (box && !later) box.checked = tick.state !== "present";
    refusals[tick.participant] = message;
  }

  function readJson(response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) return Promise.resolve(null);
    return response.json().catch(function () { return null; });
  }

  function flush() {
    if (sending) return;
    var queue = load();
    if (!queue.length) { blocked = null; render(); return; }
    sending = true;
    var tick = queue[0];
    var body = new URLSearchParams({participant: tick.participant, state: tick.state, key: tick.key});
    fetch(url, {method: "POST", body: body, credentials: "same-origin", redirect: "manual",
                headers: {"X-CSRFToken": csrfToken(), "Accept": "application/json"}})
      .then(function (response) {
        if (response.type === "opaqueredirect") {
          return {ok: false, blocked: {message: form.dataset.loggedOut, login: form.dataset.loginUrl}};
        }
        return readJson(response).then(function (data) {
          if (response.ok && data && data.state === tick.state) return {ok: true};
          if ((response.status === 400 || response.status === 404) && data && data.error && data.message) {
            return {ok: false, refused: data.message};
          }
          if (data && data.message) return {ok: false, blocked: {message: data.message, login: data.login}};
          if (response.status === 403) return {ok: false, blocked: {message: form.dataset.reload}};
          return {ok: false, blocked: {message: form.dataset.unexpected.replace("%(status)s", response.status)}};
        });
      })
      .then(function (answer) {
        sending = false;
        if (answer.ok) {
          drop(tick);
          delete refusals[tick.participant];
          blocked = null;
        } else if (answer.refused) {
          refused(tick, answer.refused);
          blocked = null;
        } else {
          blocked = answer.blocked;
          render();
          return; // keep the tick queued; the timer tries again
        }
        render();
        if (load().length) flush();
      })
      .catch(function () { sending = false; blocked = null; render(); });
  }

  // restore ticks kept from before a reload, then send what is waiting
  load().forEach(function (tick) {
    var box = boxFor(tick.participant);
    if (box) box.checked = tick.state === "present";
  });
  form.addEventListener("change", function (e) {
    var box = e.target;
    if (box.name !== "present") return;
    var queue = load();
    queue.push({participant: box.value, state: box.checked ? "present" : "absent", key: newKey()});
    save(queue);
    render();
    flush();
  });
  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  render();
  flush();
})();
