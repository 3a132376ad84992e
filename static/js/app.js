// Readout: small progressive enhancements shared by every page. No inline script anywhere (CSP).
(function () {
  "use strict";

  // Layer switches: <input type=checkbox data-layer="ent"> hides/shows highlights of that layer. Inside
  // <fieldset data-remember="key"> the choice is kept in localStorage and restored on the next page.
  function layerKey(box) {
    var set = box.closest("[data-remember]");
    return set ? "readout:layers:" + set.dataset.remember + ":" + box.dataset.layer : null;
  }
  function applyLayer(box) {
    var text = document.getElementById(box.dataset.target || "article-text");
    if (text) text.classList.toggle("hide-" + box.dataset.layer, !box.checked);
  }
  document.addEventListener("change", function (event) {
    var box = event.target.closest("input[data-layer]");
    if (!box) return;
    applyLayer(box);
    var key = layerKey(box);
    if (key) { try { localStorage.setItem(key, box.checked ? "1" : "0"); } catch (e) { /* private mode */ } }
  });
  function restoreLayers() {
    document.querySelectorAll("input[data-layer]").forEach(function (box) {
      var key = layerKey(box), saved = null;
      if (key) { try { saved = localStorage.getItem(key); } catch (e) { /* private mode */ } }
      if (saved !== null) box.checked = saved === "1";
      applyLayer(box);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restoreLayers);
  else restoreLayers();

  // Tabs (the design system's component): <div role="tablist" [data-remember="key"]> of <button role="tab"
  // aria-controls="panel-id">. Click or arrow keys / Home / End switch; the choice is kept in localStorage.
  function tabsOf(list) { return Array.prototype.slice.call(list.querySelectorAll('[role="tab"]')); }
  function selectTab(tab, focus) {
    var list = tab.closest('[role="tablist"]');
    tabsOf(list).forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      var panel = document.getElementById(t.getAttribute("aria-controls"));
      if (panel) panel.hidden = !on;
    });
    if (focus) tab.focus();
    if (list.dataset.remember) {
      try { localStorage.setItem("readout:" + list.dataset.remember, tab.id); } catch (e) { /* private mode */ }
    }
    list.dispatchEvent(new CustomEvent("tabchange", { bubbles: true, detail: { tab: tab } }));
  }
  window.readoutSelectTab = selectTab;
  document.addEventListener("click", function (event) {
    var tab = event.target.closest('[role="tab"]');
    if (tab) selectTab(tab, false);
  });
  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest('[role="tab"]');
    if (!tab) return;
    var tabs = tabsOf(tab.closest('[role="tablist"]'));
    var i = tabs.indexOf(tab);
    var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next == null) return;
    event.preventDefault();
    selectTab(tabs[(next + tabs.length) % tabs.length], true);
  });
  function restoreTabs() {
    document.querySelectorAll('[role="tablist"][data-remember]').forEach(function (list) {
      var id = null;
      try { id = localStorage.getItem("readout:" + list.dataset.remember); } catch (e) { /* private mode */ }
      var tab = id && document.getElementById(id);
      if (tab && list.contains(tab)) selectTab(tab, false);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restoreTabs);
  else restoreTabs();

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
  // A write that committed while the page could not be redrawn (apps/core/committed.py): say it was saved.
  document.addEventListener("savedNotRefreshed", function (event) {
    toast((event.detail && event.detail.value) || "Saved; the page could not refresh. Reload it.");
  });
  document.addEventListener("htmx:sendError", function () {
    toast("The server could not be reached. Nothing was saved.");
  });
})();
