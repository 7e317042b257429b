/* Live notifications: one WebSocket per page, a badge and a toast, reconnecting with
   backoff. The server is the truth: on every (re)connect it sends the unread count,
   and the pushes of unread notifications newer than the newest this page knows
   (`?since=`), which were sent while its socket was away. */
(function () {
  "use strict";
  var bell = document.getElementById("live-bell");
  var toasts = document.getElementById("live-toasts");
  if (!bell || !toasts || !("WebSocket" in window)) return;

  var seen = [];
  var since = parseInt(bell.dataset.since, 10) || 0;
  var socket = null;
  var timer = null;
  var delay = 1000;
  var MAX_DELAY = 30000;
  var SHOW_MS = 8000;

  function setCount(count) {
    var badge = document.getElementById("live-badge");
    if (!badge || typeof count !== "number") return;
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = count <= 0;
  }

  function link(href, className, text) {
    var a = document.createElement("a");
    a.href = href;
    a.className = className;
    a.textContent = text;
    return a;
  }

  function toast(message) {
    var item = document.createElement("div");
    item.className = "live-toast" + (message.critical ? " live-toast--critical" : "");
    item.setAttribute("data-testid", "live-toast");
    var text = document.createElement("div");
    text.className = "live-toast__text";
    text.appendChild(link(message.url || bell.href, "live-toast__title", message.title || ""));
    if (message.body) {
      var body = document.createElement("p");
      body.className = "live-toast__body";
      body.textContent = message.body;
      text.appendChild(body);
    }
    if (message.action_url) {
      var actions = document.createElement("div");
      actions.className = "live-toast__actions";
      actions.appendChild(link(message.action_url, "live-toast__action", message.action_label));
      text.appendChild(actions);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "live-toast__close";
    close.setAttribute("aria-label", toasts.dataset.close || "Close");
    close.textContent = "×";
    close.addEventListener("click", function () { item.remove(); });
    item.appendChild(text);
    item.appendChild(close);
    toasts.appendChild(item);
    while (toasts.children.length > 3) toasts.firstElementChild.remove();
    if (!message.critical) {
      setTimeout(function () { item.remove(); }, SHOW_MS);
    }
  }

  function onMessage(event) {
    var message;
    try { message = JSON.parse(event.data); } catch (error) { return; }
    if (message.type === "unread") {
      setCount(message.count);
    } else if (message.type === "conversation") {
      // A thread this user takes part in moved: open pages of it refresh themselves
      // (conversations), others toast when asked to (a rep has no inbox).
      var open = document.querySelector('[data-thread="' + message.thread + '"]');
      if (message.toast && !open && message.title) toast(message);
      document.body.dispatchEvent(new CustomEvent("conversation-message", { detail: message }));
    } else if (message.type === "notification") {
      // A push may arrive twice (a retry after a worker stopped): show it once.
      if (seen.indexOf(message.id) !== -1) return;
      seen.push(message.id);
      if (message.id > since) since = message.id;
      if (seen.length > 200) seen.shift();
      setCount(message.unread);
      toast(message);
      document.body.dispatchEvent(new CustomEvent("notification-received", { detail: message }));
    }
  }

  function connect() {
    clearTimeout(timer);
    if (socket) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + bell.dataset.ws + "?since=" + since);
    socket.addEventListener("open", function () {
      delay = 1000;
      bell.dataset.live = "open";
      // Whatever moved while the socket was away is fetched again by who shows it.
      document.body.dispatchEvent(new CustomEvent("live-connected"));
    });
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", function (event) {
      socket = null;
      bell.dataset.live = "closed";
      if (event.code === 4403) return; // refused: this login has no live pushes
      var wait = delay + Math.random() * delay * 0.3;
      delay = Math.min(delay * 2, MAX_DELAY);
      timer = setTimeout(connect, wait);
    });
  }

  function soon() {
    if (socket) return;
    delay = 1000;
    connect();
  }

  window.addEventListener("online", soon);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) soon();
  });
  connect();
})();
