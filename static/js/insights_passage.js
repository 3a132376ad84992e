// On the reading page: ?hl=START-END (code points into the article text) marks that passage and scrolls to it.
// Paragraphs carry data-start/data-end; the text nodes inside a paragraph are walked in order, converting code
// points to the UTF-16 units the DOM counts in. Idempotent: a passage already marked is left alone (a second run
// used to wrap the marked text in a second <mark>), and after htmx redraws the text (quoteChanged) it is marked
// again without scrolling.
(function () {
  "use strict";

  function mark(scroll) {
    if (document.querySelector("#article-text mark.insights-hl")) return;
    var match = /^(\d+)-(\d+)$/.exec(new URLSearchParams(window.location.search).get("hl") || "");
    if (!match) return;
    var start = Number(match[1]), end = Number(match[2]);
    var paragraphs = document.querySelectorAll("#article-text p[data-start]");
    var first = null;
    paragraphs.forEach(function (p) {
      var pStart = Number(p.dataset.start), pEnd = Number(p.dataset.end);
      if (pEnd <= start || pStart >= end) return;
      first = first || p;
      var walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      var pos = pStart, node, pieces = [];
      while ((node = walker.nextNode())) {
        var chars = Array.from(node.data), from = Math.max(start - pos, 0), to = Math.min(end - pos, chars.length);
        if (from < to) pieces.push([node, chars.slice(0, from).join("").length, chars.slice(0, to).join("").length]);
        pos += chars.length;
      }
      pieces.forEach(function (piece) {
        var range = document.createRange();
        range.setStart(piece[0], piece[1]);
        range.setEnd(piece[0], piece[2]);
        var m = document.createElement("mark");
        m.className = "m-flash insights-hl";
        range.surroundContents(m);
      });
    });
    if (first) {
      first.id = first.id || "hl";
      if (scroll !== false) first.scrollIntoView({ block: "center" });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "article-text") mark(false);
  });
})();
