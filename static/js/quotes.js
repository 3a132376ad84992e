// Readout quotes panel: text selection -> code-point offsets (through ReadoutOffsets) for "Add quote from selection" and "Fix span",
// 409 conflicts shown in the panel, and jumping from a quote in the panel to its highlight. No inline script (CSP).
(function () {
  "use strict";

  // Offsets come from the one converter (static/js/offsets.js, loaded before this file): browsers count UTF-16
  // code units, the server counts code points.
  var Offsets = window.ReadoutOffsets;

  function paragraphsOf(container) {
    return Array.prototype.slice.call(container.querySelectorAll("p[data-start]"));
  }

  function leadingSpace(s) { return Offsets.codePointLength(s) - Offsets.codePointLength(s.replace(/^\s+/, "")); }
  function trailingSpace(s) { return Offsets.codePointLength(s) - Offsets.codePointLength(s.replace(/\s+$/, "")); }

  // The current selection inside `container` as {start, end, text}, or null. White space at either end is
  // dropped, and a start sitting on a paragraph end moves to the next paragraph.
  function selectionOffsets(container) {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!container.contains(range.commonAncestorContainer)) return null;
    var text = range.toString();
    var found = Offsets.rangeToOffsets(container, range);
    if (!found) return null;
    var start = found.start + leadingSpace(text);
    var end = found.end - trailingSpace(text);
    paragraphsOf(container).forEach(function (p, i, all) {
      if (start === Number(p.dataset.end) && all[i + 1]) start = Number(all[i + 1].dataset.start);
    });
    if (!(start < end)) return null;
    return { start: start, end: end, text: text.trim() };
  }

  window.ReadoutQuotes = { selectionOffsets: selectionOffsets };

  var last = null; // the last selection made inside an article text: survives clicks in the panel

  function textContainer(form) {
    return document.querySelector(form.dataset.text || "#article-text");
  }

  function syncAddForms() {
    document.querySelectorAll("form[data-quote-add]").forEach(function (form) {
      var container = textContainer(form);
      form.hidden = !container; // no article text on this page: nothing to select from
      if (!container) return;
      var button = form.querySelector("[data-add-button]");
      var preview = form.querySelector("[data-selection-preview]");
      form.elements.start.value = last ? last.start : "";
      form.elements.end.value = last ? last.end : "";
      button.disabled = !last;
      if (preview) {
        preview.textContent = last
          ? "Selected: “" + (last.text.length > 140 ? last.text.slice(0, 140) + "…" : last.text) + "”"
          : "Select a passage in the article to add a missed quote.";
      }
    });
  }

  document.addEventListener("selectionchange", function () {
    var form = document.querySelector("form[data-quote-add]");
    var container = form ? textContainer(form) : document.getElementById("article-text");
    if (!container) return;
    var found = selectionOffsets(container);
    if (found) {
      last = found;
      syncAddForms();
    }
  });

  // Fix span: copy the current selection into the quote's start/end inputs.
  document.addEventListener("click", function (event) {
    var close = event.target.closest(".qp-edit-close");
    if (close) {
      var box = close.closest(".qp-editor");
      if (box) box.textContent = "";
      return;
    }
    var use = event.target.closest("[data-use-selection]");
    if (use) {
      var form = use.closest("form");
      if (!last) {
        if (window.readoutToast) window.readoutToast("Select the passage in the article text first.");
        return;
      }
      form.elements.start.value = last.start;
      form.elements.end.value = last.end;
      return;
    }
    // A quote in the panel -> its highlight in the text (every piece of it: data-m lists the marks of a segment).
    var goto = event.target.closest(".qp-text[data-goto]");
    if (goto && !window.getSelection().toString()) {
      var text = document.getElementById("article-text");
      var pieces = text ? text.querySelectorAll('[data-m~="' + goto.dataset.goto + '"]') : [];
      if (!pieces.length) {
        if (window.readoutToast) window.readoutToast("This quote is not in the text shown (its layer may be off).");
        return;
      }
      pieces[0].scrollIntoView({ behavior: "smooth", block: "center" });
      text.querySelectorAll(".flash").forEach(function (m) { m.classList.remove("flash"); });
      pieces.forEach(function (m) { m.classList.add("flash"); });
      clearTimeout(text._flashTimer);
      text._flashTimer = setTimeout(function () {
        pieces.forEach(function (m) { m.classList.remove("flash"); });
      }, 2000);
    }
  });

  document.addEventListener("htmx:load", syncAddForms);
  document.addEventListener("DOMContentLoaded", syncAddForms);

  // A quote was added: forget the selection it came from.
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (event.detail.successful && elt && elt.matches && elt.matches("form[data-quote-add]")) {
      last = null;
      var sel = window.getSelection();
      if (sel) sel.removeAllRanges();
    }
  });

  // A write made inside the panel already answers with the fresh panel: its own quoteChanged event must not
  // make the panel load itself a second time (that reload would close what the user just opened in it).
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    var trigger = event.detail.triggeringEvent;
    if (!trigger || trigger.type !== "quoteChanged" || !elt || elt.id !== "quotes-panel") return;
    if (trigger.target && trigger.target.nodeType === 1 && elt.contains(trigger.target)) event.preventDefault();
  });

  // ---- undo / redo of quote work (in the workspace: workspace.js owns the one stack, Ctrl+Z / Ctrl+Shift+Z) -----
  // Before each quote write, the panel's state of the quote is noted; after it, the inverse is recorded:
  // add <-> delete/restore, delete <-> restore, confirm <-> unconfirm, speaker and span back to what they were. The
  // current version is read from the panel when the step is replayed (optimistic concurrency still applies).
  var WRITE = /\/(\d+)\/(confirm|unconfirm|span|speaker|delete|restore)\/$|\/article\/\d+\/create\/$/;
  var pending = null;

  function panelBody() { return document.getElementById("quotes-panel-body"); }
  function quoteState(root, id) {
    var li = root && root.querySelector('li[data-quote="' + id + '"]');
    if (!li) return null;
    return { speaker: li.dataset.speaker, start: li.dataset.start, end: li.dataset.end, kind: li.dataset.kind };
  }
  function quoteIds(root) {
    return Array.prototype.map.call(root ? root.querySelectorAll("li[data-quote]") : [], function (li) {
      return li.dataset.quote;
    });
  }
  function currentVersion(id) {
    var body = panelBody();
    var el = body && body.querySelector('[data-quote="' + id + '"][data-version], [data-deleted-quote="' + id + '"]');
    if (!el) throw new Error("quote not in the panel");
    return el.dataset.version;
  }
  function post(id, action, values, check) {
    var body = panelBody();
    if (!body) return Promise.reject(new Error("no panel"));
    var url = body.dataset.quoteUrl.replace(/\/0\/history\/$/, "/" + id + "/" + action + "/");
    values.version = currentVersion(id);
    // From the panel's container: the quoteChanged event the answer carries then comes from inside the panel, and
    // the panel does not reload itself (a reload in flight could land after the next step and undo its display).
    var source = document.getElementById("quotes-panel") || body;
    var options = { source: source, target: "#quotes-panel-body", swap: "outerHTML", values: values };
    options.headers = window.ReadoutUndo.headers;
    return htmx.ajax("POST", url, options)
      .then(function () {
        var now = panelBody();
        if (!now || now.querySelector(".qp-conflict")) throw new Error("refused");
        if (check && !check(now.querySelector('li[data-quote="' + id + '"]'))) throw new Error("refused");
      });
  }
  function step(undo, redo) { return { undo: undo, redo: redo }; }
  function deleteQuote(id) { return function () { return post(id, "delete", {}); }; }
  function restoreQuote(id) { return function () { return post(id, "restore", {}); }; }
  function attribute(id, speaker) { return function () { return post(id, "speaker", { speaker: speaker || "" }); }; }
  // A refused (400) confirmation leaves the panel as it was: the step counts only if the quote shows the new state.
  // Read its badge, not the li's class: htmx sets the class of an element with an id only once it settles.
  function confirmed(li) { return !!li && !!li.querySelector(".qp-confirmed"); }
  function confirmQuote(id) { return function () { return post(id, "confirm", {}, confirmed); }; }
  function unconfirmQuote(id) {
    return function () { return post(id, "unconfirm", {}, function (li) { return !!li && !confirmed(li); }); };
  }
  function setSpan(id, s) { return function () { return post(id, "span", { start: s.start, end: s.end, kind: s.kind }); }; }

  function inverse(match, before, after) {
    var id = match[1], action = match[2];
    if (!action) {  // an added quote: the id the panel did not have before
      var added = quoteIds(after).filter(function (q) { return before.ids.indexOf(q) < 0; })[0];
      return added ? step(deleteQuote(added), restoreQuote(added)) : null;
    }
    if (action === "delete") return step(restoreQuote(id), deleteQuote(id));
    if (action === "restore") return step(deleteQuote(id), restoreQuote(id));
    if (action === "confirm") return step(unconfirmQuote(id), confirmQuote(id));
    if (action === "unconfirm") return step(confirmQuote(id), unconfirmQuote(id));
    var was = before.quotes[id], now = quoteState(after, id);
    if (!was || !now) return null;
    if (action === "speaker") return step(attribute(id, was.speaker), attribute(id, now.speaker));
    if (action === "span") return step(setSpan(id, was), setSpan(id, now));
    return null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var path = (event.detail.requestConfig && event.detail.requestConfig.path) || "";
    var body = panelBody();
    if (!window.ReadoutUndo || !body || window.ReadoutUndo.isReplay(event)) return;
    var prefix = body.dataset.quoteUrl.replace(/0\/history\/$/, "");  // the quotes app's URLs, not the spans'
    if (path.indexOf(prefix) !== 0 || !WRITE.test(path)) return;
    var quotes = {};
    quoteIds(body).forEach(function (id) { quotes[id] = quoteState(body, id); });
    pending = { path: path, ids: quoteIds(body), quotes: quotes };
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var path = (event.detail.requestConfig && event.detail.requestConfig.path) || "";
    var before = pending;
    if (!before || before.path !== path) return;
    pending = null;
    if (!event.detail.successful || event.detail.xhr.status !== 200) return;
    var after = new DOMParser().parseFromString(event.detail.xhr.responseText, "text/html");
    window.ReadoutUndo.record(inverse(path.match(WRITE), before, after));
  });

  // 409 (someone else saved first): the server sends the current panel with the explanation; show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var target = event.detail.target;
    if (xhr.status === 409 && target && target.closest && target.closest(".quotes-panel, #quotes-panel")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
