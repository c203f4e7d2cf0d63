// Live reload for `pressroom preview`: reload when a new render is complete, show build errors in an overlay.
(function () {
  "use strict";
  var shown = document.querySelector('meta[name="pressroom-version"]').content;
  var overlay = document.createElement("div");
  overlay.id = "pressroom-overlay";
  overlay.hidden = true;
  overlay.setAttribute("role", "alert");
  var text = document.createElement("pre");
  overlay.appendChild(text);
  document.body.appendChild(overlay);
  var events = new EventSource("/__events");
  events.addEventListener("state", function (e) {
    var state = JSON.parse(e.data);
    if (state.error) {
      text.textContent = "Pressroom could not build the book:\n\n" + state.error +
        "\n\nShowing the last good version. Fix the file and save.";
      overlay.hidden = false;
    } else if (state.version !== shown) {
      location.reload();
    } else {
      overlay.hidden = true;
    }
  });
})();
