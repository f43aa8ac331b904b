// Live progress of an export (server-sent events). Without this script the
// page refreshes itself (a <noscript> refresh) and shows the same lines.
"use strict";
(function () {
  var list = document.getElementById("progress") || null;
  var running = document.getElementById("running");
  if (!running) { return; }
  var url = running.getAttribute("data-events");
  if (!url || !window.EventSource) { window.setTimeout(function () { window.location.reload(); }, 2000); return; }
  var source = new EventSource(url);
  source.addEventListener("progress", function (event) {
    var data = JSON.parse(event.data);
    if (!list) { list = document.createElement("ul"); list.id = "progress"; list.className = "progress"; running.parentNode.insertBefore(list, running); }
    data.sources.forEach(function (s) {
      var item = document.getElementById("source-" + s.id);
      if (!item) { item = document.createElement("li"); item.id = "source-" + s.id; list.appendChild(item); }
      item.className = "status-" + s.state;
      item.textContent = s.id + ": " + s.text;
    });
    if (data.done) { source.close(); window.location.reload(); }
  });
  source.onerror = function () { source.close(); window.setTimeout(function () { window.location.reload(); }, 2000); };
})();
