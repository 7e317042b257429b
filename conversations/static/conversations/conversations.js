/* Keep the newest message in view when the thread refreshes or a message is sent. */
(function () {
  "use strict";
  function bottom() {
    var chat = document.getElementById("messages");
    if (!chat || !chat.lastElementChild) return;
    chat.lastElementChild.scrollIntoView({ block: "end" });
  }
  document.addEventListener("DOMContentLoaded", bottom);
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && (event.target.id === "messages" || event.target.id === "message-form")) bottom();
  });
})();
