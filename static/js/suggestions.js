// Theme suggestions in the workspace (the panel itself is server-rendered by apps.suggestions and loaded by htmx when
// its tab first shows). This file keeps the panel fresh after the analyst's own span changes, sets the tab's count,
// marks the suggested passages quietly in the text and fills the "adjust boundaries" offsets from a text selection.
// The marks use the CSS Custom Highlight API: no element is added to the text, so selections, offsets and the
// other layers are untouched. No inline script (CSP).
(function () {
  "use strict";

  var MARKS = "sg", FOCUS = "sg-focus";
  var queued = false;

  function $(id) { return document.getElementById(id); }
  function panel() { return $("suggestions-panel"); }
  function loaded() { var p = panel(); return !!(p && p.querySelector(".suggestions-panel")); }
  function items() {
    var p = panel();
    return p ? Array.prototype.slice.call(p.querySelectorAll(".sg-item[data-start]")) : [];
  }
  function canMark() {
    return !!(window.CSS && CSS.highlights && window.Highlight && window.ReadoutOffsets && $("article-text"));
  }
  function rangeOf(item) {
    return ReadoutOffsets.offsetsToRange($("article-text"), +item.dataset.start, +item.dataset.end);
  }

  function drawMarks() {
    if (!canMark()) return;
    CSS.highlights.delete(MARKS);
    CSS.highlights.delete(FOCUS);
    if ($("article-text").classList.contains("hide-sg")) return;
    var marks = new Highlight();
    items().forEach(function (item) { var r = rangeOf(item); if (r) marks.add(r); });
    if (marks.size) CSS.highlights.set(MARKS, marks);
  }

  function setCount() {
    var count = panel() && panel().querySelector(".sg-count");
    var tab = document.querySelector('[data-count-of="suggestions"]');
    if (tab && count) tab.textContent = count.textContent.trim();
  }

  // after a decision by key, once the panel is drawn again: the suggestion now at that place takes the focus
  var refocus = null;  // {at: index, item: the decided element}
  function update() {
    queued = false;
    setCount();
    drawMarks();
    if (refocus && !document.contains(refocus.item) && loaded()) {
      var all = items(), item = all[Math.min(refocus.at, all.length - 1)];
      refocus = null;
      if (item) item.focus();
    }
  }
  function later() { if (!queued) { queued = true; requestAnimationFrame(update); } }

  // One passage stands out while its suggestion has the pointer or the focus; a click on its text shows it.
  function focusOn(item, scroll) {
    if (!canMark()) return;
    CSS.highlights.delete(FOCUS);
    if (!item) return;
    var r = rangeOf(item);
    if (!r) return;
    CSS.highlights.set(FOCUS, new Highlight(r));
    if (scroll) r.startContainer.parentElement.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function init() {
    if (!panel()) return;
    // after any swap (the panel, or the text drawn again): a handful of ranges, cheap to redo
    document.addEventListener("htmx:afterSettle", later);
    document.addEventListener("htmx:oobAfterSwap", later);
    // the analyst's own span changes (made in the text) may settle a suggestion: ask the panel again, once loaded
    document.body.addEventListener("spanChanged", function () {
      if (loaded()) htmx.trigger(panel(), "suggestionsRefresh");
    });
    document.addEventListener("change", function (e) {
      if (e.target.matches && e.target.matches('input[data-layer="sg"]')) drawMarks();
    });
    panel().addEventListener("mouseover", function (e) { focusOn(e.target.closest(".sg-item"), false); });
    panel().addEventListener("mouseleave", function () { focusOn(null); });
    panel().addEventListener("focusin", function (e) { focusOn(e.target.closest(".sg-item"), false); });
    panel().addEventListener("click", function (e) {
      var passage = e.target.closest(".sg-text");
      if (passage) { focusOn(passage.closest(".sg-item"), true); return; }
      var use = e.target.closest(".sg-use-selection");
      if (!use) return;
      // "Use my selection": the offsets of the text selected in the article (snapped by the workspace)
      var s = window.getSelection(), text = $("article-text");
      var offsets = s.rangeCount && !s.isCollapsed ? ReadoutOffsets.rangeToOffsets(text, s.getRangeAt(0)) : null;
      var form = use.closest("form");
      if (!offsets) { if (window.readoutToast) window.readoutToast("Select the passage in the text first."); return; }
      form.querySelector("input[name=start]").value = offsets.start;
      form.querySelector("input[name=end]").value = offsets.end;
    });
    // keys on a focused suggestion: a accepts, r rejects, arrows move; after a decision the next one takes the focus
    panel().addEventListener("keydown", function (e) {
      var item = e.target.closest && e.target.closest(".sg-item");
      if (!item || e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) return;
      var all = items(), at = all.indexOf(item);
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        var next = all[at + (e.key === "ArrowDown" ? 1 : -1)];
        if (next) { e.preventDefault(); next.focus(); }
        return;
      }
      var button = item.querySelector('.qp-actions button[data-key="' + e.key + '"]');
      if (!button) return;
      e.preventDefault();
      refocus = { at: at, item: item };
      button.click();
    });
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
