// Readout: small progressive enhancements shared by every page. No inline script anywhere (CSP).
(function () {
  "use strict";

  // Layer switches: <input type=checkbox data-layer="ent"> hides/shows highlights of that layer.
  document.addEventListener("change", function (event) {
    var box = event.target.closest("input[data-layer]");
    if (!box) return;
    var text = document.getElementById(box.dataset.target || "article-text");
    if (text) text.classList.toggle("hide-" + box.dataset.layer, !box.checked);
  });

  // <form data-confirm="..."> asks before it submits (no inline script under the CSP).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);

  // Failed HTMX requests say so instead of failing silently; the page keeps its state.
  function toast(message) {
    var el = document.getElementById("toast");
    if (!el) return;
    el.textContent = message;
    el.hidden = false;
    clearTimeout(el._timer);
    el._timer = setTimeout(function () { el.hidden = true; }, 6000);
  }
  window.readoutToast = toast;
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var text = (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0 ? xhr.responseText : "";
    toast(text || ("Request failed (" + xhr.status + "). Nothing was saved."));
  });
  document.addEventListener("htmx:sendError", function () {
    toast("The server could not be reached. Nothing was saved.");
  });
})();
