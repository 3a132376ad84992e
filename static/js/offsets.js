// ReadoutOffsets: convert between DOM selections and code-point offsets into Article.text (design.md §3).
//
// The server counts Python str indices (Unicode code points); the DOM counts UTF-16 code units, so an emoji or a
// CJK Extension-B character counts 1 on the server and 2 in the browser. The article text is rendered as
// <p data-start data-end> elements, one per line, whose text content is exactly article.text[start:end];
// highlights are flat <span>s inside them. Pure functions, no state: other widgets (the quotes panel) reuse them.
//
//   ReadoutOffsets.rangeToOffsets(container, range) -> {start, end} | null
//   ReadoutOffsets.offsetsToRange(container, start, end) -> Range | null
//   ReadoutOffsets.codePointLength(str), .utf16ToCodePoint(str, i), .codePointToUtf16(str, cp)
(function (global) {
  "use strict";

  function isHigh(c) { return c >= 0xd800 && c <= 0xdbff; }
  function isLow(c) { return c >= 0xdc00 && c <= 0xdfff; }

  // Code points in str[0:i) (i in UTF-16 units; default: the whole string).
  function utf16ToCodePoint(str, i) {
    var end = i == null ? str.length : i;
    var n = 0;
    for (var k = 0; k < end; k++) {
      if (isLow(str.charCodeAt(k)) && k > 0 && isHigh(str.charCodeAt(k - 1))) continue;
      n++;
    }
    return n;
  }

  function codePointLength(str) { return utf16ToCodePoint(str); }

  // UTF-16 index of code point number cp in str (clamped to the string).
  function codePointToUtf16(str, cp) {
    var k = 0;
    for (var n = 0; n < cp && k < str.length; n++) {
      k += isHigh(str.charCodeAt(k)) && k + 1 < str.length && isLow(str.charCodeAt(k + 1)) ? 2 : 1;
    }
    return k;
  }

  function paragraphs(container) {
    return container.querySelectorAll("p[data-start]");
  }

  function enclosingParagraph(container, node) {
    var el = node.nodeType === 1 ? node : node.parentElement;
    var p = el && el.closest("p[data-start]");
    return p && container.contains(p) ? p : null;
  }

  // Offset of a DOM point (node, offset). side "start" rounds into the next paragraph and before a split
  // surrogate pair; side "end" rounds back into the previous paragraph and after it.
  function pointToOffset(container, node, offset, side) {
    var p = enclosingParagraph(container, node);
    if (!p) {
      // The point sits between paragraphs (or in the container itself): use the nearest paragraph edge.
      var point = document.createRange();
      point.setStart(node, offset);
      var list = paragraphs(container), before = null, after = null;
      for (var i = 0; i < list.length; i++) {
        if (point.comparePoint(list[i], 0) > 0) { after = list[i]; break; }
        before = list[i];
      }
      if (side === "start") return after ? +after.dataset.start : null;
      return before ? +before.dataset.end : null;
    }
    var r = document.createRange();
    r.setStart(p, 0);
    r.setEnd(node, offset);
    var text = r.toString();
    var n = utf16ToCodePoint(text);
    if (side === "start" && text.length && isHigh(text.charCodeAt(text.length - 1))) n -= 1;
    return +p.dataset.start + n;
  }

  function rangeToOffsets(container, range) {
    if (!range || !container) return null;
    var start = pointToOffset(container, range.startContainer, range.startOffset, "start");
    var end = pointToOffset(container, range.endContainer, range.endOffset, "end");
    if (start == null || end == null || end <= start) return null;
    return { start: start, end: end };
  }

  // The DOM point of code-point offset cp. side "start" prefers the paragraph that begins at cp, "end" the one
  // that ends there.
  function offsetToPoint(container, cp, side) {
    var list = paragraphs(container);
    var lo = 0, hi = list.length - 1, p = null;
    while (lo <= hi) {  // paragraphs are in text order: binary search
      var mid = (lo + hi) >> 1, el = list[mid];
      var s = +el.dataset.start, e = +el.dataset.end;
      if (cp < s) hi = mid - 1;
      else if (cp > e) lo = mid + 1;
      else { p = el; break; }
    }
    if (!p) {
      // cp is a newline between paragraphs: snap to the nearest edge
      if (side === "start") { p = list[lo]; if (!p) return null; cp = +p.dataset.start; }
      else { p = list[hi]; if (!p) return null; cp = +p.dataset.end; }
    }
    var remaining = cp - +p.dataset.start;
    var walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    var node, last = null;
    while ((node = walker.nextNode())) {
      var len = utf16ToCodePoint(node.data);
      if (remaining < len || (remaining === len && side === "end")) {
        return { node: node, offset: codePointToUtf16(node.data, remaining) };
      }
      remaining -= len;
      last = node;
    }
    if (last) return { node: last, offset: last.data.length };
    return { node: p, offset: 0 };
  }

  function offsetsToRange(container, start, end) {
    var a = offsetToPoint(container, start, "start");
    var b = offsetToPoint(container, end, "end");
    if (!a || !b) return null;
    var range = document.createRange();
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    return range;
  }

  global.ReadoutOffsets = {
    rangeToOffsets: rangeToOffsets,
    offsetsToRange: offsetsToRange,
    codePointLength: codePointLength,
    utf16ToCodePoint: utf16ToCodePoint,
    codePointToUtf16: codePointToUtf16,
  };
})(window);
