// The attendance tick-list: every tick is queued in localStorage and sent one by one (each with its own
// idempotency key) whenever there is a connection; a tick the server refuses is dropped with its message.
(function () {
  "use strict";
  var form = document.getElementById("attendance-form");
  if (!form) return;
  var url = form.dataset.markUrl;
  var storeKey = "kompis-attendance:" + form.dataset.event;
  var status = document.getElementById("attendance-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(storeKey, JSON.stringify(queue)); }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function show(message) { status.textContent = message; }
  function showQueue() {
    var n = load().length;
    show(n ? form.dataset.waiting.replace("%(n)s", n) : form.dataset.sent);
    form.dataset.pending = String(n);
  }

  function flush() {
    if (sending) return;
    var queue = load();
    if (!queue.length) { showQueue(); return; }
    sending = true;
    var tick = queue[0];
    var body = new URLSearchParams({participant: tick.participant, state: tick.state, key: tick.key});
    fetch(url, {method: "POST", body: body, credentials: "same-origin",
                headers: {"X-CSRFToken": csrf, "Accept": "application/json"}})
      .then(function (response) {
        var refused = response.status === 400 || response.status === 404;
        if (response.ok || refused) {
          var rest = load().filter(function (t) { return t.key !== tick.key; });
          save(rest);
          if (refused) {
            return response.json().then(function (data) { show(data.message); }, function () { return null; });
          }
          sending = false;
          flush();
          return null;
        }
        throw new Error("HTTP " + response.status);
      })
      .then(function () { sending = false; if (load().length) flush(); else if (!status.textContent) showQueue(); })
      .catch(function () { sending = false; showQueue(); });
  }

  // restore ticks kept from before a reload, then send what is waiting
  load().forEach(function (tick) {
    var box = form.querySelector("input[name=present][value='" + tick.participant + "']");
    if (box) box.checked = tick.state === "present";
  });
  form.addEventListener("change", function (e) {
    var box = e.target;
    if (box.name !== "present") return;
    var queue = load();
    queue.push({participant: box.value, state: box.checked ? "present" : "absent", key: newKey()});
    save(queue);
    showQueue();
    flush();
  });
  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  showQueue();
  flush();
})();
