// Review page adjudication: walk the disagreements one at a time (buttons and j / k), and fix a span's boundaries
// by selecting text in the article (snapped to whole words; hold Alt for exact characters). Offsets come from the
// one offsets module (ReadoutOffsets, code points as the server counts them). No inline script (CSP).
(function () {
  "use strict";

  var current = 0; // index of the disagreement shown; kept across HTMX swaps of #review-body
  var WORD = /[\p{L}\p{N}\p{M}_'’\-]/u;

  function items() { return Array.prototype.slice.call(document.querySelectorAll("#disagreements .disagreement")); }

  function show(index, scroll) {
    var list = items();
    var pos = document.getElementById("walk-pos");
    if (!list.length) return;
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach(function (el, i) { el.hidden = i !== current; });
    if (pos) pos.textContent = "Disagreement " + (current + 1) + " of " + list.length;
    var text = document.getElementById("gold-text");
    var el = list[current];
    if (text && scroll && window.ReadoutOffsets) {
      var range = window.ReadoutOffsets.offsetsToRange(text, +el.dataset.start, +el.dataset.end);
      var node = range && range.startContainer.parentElement;
      if (node && node.scrollIntoView) node.scrollIntoView({ block: "nearest" });
    }
  }

  function step(delta) {  // wraps around: after the last disagreement comes the first again
    var n = items().length;
    if (n) show((current + delta + n) % n, true);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-walk]");
    if (!button) return;
    step(button.dataset.walk === "next" ? 1 : -1);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var t = event.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (!document.getElementById("disagreements")) return;
    if (event.key === "j" || event.key === "n") { event.preventDefault(); step(1); }
    else if (event.key === "k" || event.key === "p") { event.preventDefault(); step(-1); }
  });

  // Snap [start, end) (code points) outwards to whole words and inwards past white space, within the paragraph.
  function snap(container, start, end) {
    var paragraph = null;
    container.querySelectorAll("p[data-start]").forEach(function (p) {
      if (+p.dataset.start <= start && start < +p.dataset.end) paragraph = p;
    });
    if (!paragraph) return { start: start, end: end };
    var base = +paragraph.dataset.start;
    var chars = Array.from(paragraph.textContent); // code points, as the server counts
    var s = start - base, e = Math.min(end - base, chars.length);
    while (s < e && /\s/u.test(chars[s])) s++;
    while (e > s && /\s/u.test(chars[e - 1])) e--;
    while (s > 0 && WORD.test(chars[s - 1]) && WORD.test(chars[s])) s--;
    while (e < chars.length && WORD.test(chars[e]) && WORD.test(chars[e - 1])) e++;
    return { start: base + s, end: base + e };
  }

  function fillFix(container, offsets) {
    var list = items();
    var form = list.length ? list[current].querySelector("[data-fix]") : null;
    if (!form) return;
    var paragraphs = container.querySelectorAll("p[data-start]");
    var text = "";
    paragraphs.forEach(function (p) {
      var ps = +p.dataset.start, pe = +p.dataset.end;
      if (pe <= offsets.start || ps >= offsets.end) return;
      var chars = Array.from(p.textContent);
      text += (text ? "\n" : "") + chars.slice(Math.max(0, offsets.start - ps), Math.min(pe, offsets.end) - ps).join("");
    });
    form.querySelector("[data-fix-start]").value = offsets.start;
    form.querySelector("[data-fix-end]").value = offsets.end;
    form.querySelector("[data-fix-text]").textContent = "“" + text + "” [" + offsets.start + ", " + offsets.end + ")";
    form.querySelector("[data-fix-help]").textContent = "Fixed span:";
    form.querySelector("[data-fix-submit]").disabled = false;
  }

  document.addEventListener("mouseup", function (event) {
    var container = event.target.closest && event.target.closest("#gold-text");
    if (!container || !window.ReadoutOffsets) return;
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    var offsets = window.ReadoutOffsets.rangeToOffsets(container, selection.getRangeAt(0));
    if (!offsets) return;
    if (!event.altKey) {
      offsets = snap(container, offsets.start, offsets.end);
      var range = window.ReadoutOffsets.offsetsToRange(container, offsets.start, offsets.end);
      if (range) { selection.removeAllRanges(); selection.addRange(range); }
    }
    if (offsets.end > offsets.start) fillFix(container, offsets);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (document.getElementById("disagreements")) show(current, false);
  });
  function init() {
    if (!document.body.dataset.adjudication) {
      document.body.dataset.adjudication = "1";
      document.body.addEventListener("readoutToast", function (event) {
        if (window.readoutToast && event.detail && event.detail.value) window.readoutToast(event.detail.value);
      });
    }
    show(0, false);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
