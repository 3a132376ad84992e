// Annotation workspace: selection (mouse or keyboard) -> theme picker -> HTMX POST; click a highlight to edit it.
// The server renders everything; this file only turns selections into code-point offsets (ReadoutOffsets) and
// sends them. No inline script (CSP): all behaviour is bound here.
(function () {
  "use strict";

  var ws, textEl, picker, pickerSearch, pickerList, chooser, editor;
  var sel = null;          // current selection {start, end} in code points
  var busy = false;        // a create request is in flight
  var tokens = null;       // [[start, end], ...] word tokens of the whole text, code points (text is immutable)
  var kbd = null;          // keyboard selection {anchor, focus} as token indices
  var WORD = /[\p{L}\p{N}\p{M}]+(?:['’\-][\p{L}\p{N}\p{M}]+)*|[^\s\p{L}\p{N}\p{M}]/gu;

  function $(id) { return document.getElementById(id); }
  function canWrite() { return ws.dataset.canWrite === "1"; }
  function toast(msg) { if (window.readoutToast) window.readoutToast(msg); }
  function urlFor(template, id) { return template.replace("/0/", "/" + id + "/"); }

  // ---- tokens (for snapping and keyboard moves) --------------------------------------------------------------
  function allTokens() {
    if (tokens) return tokens;
    tokens = [];
    var paras = textEl.querySelectorAll("p[data-start]");
    for (var i = 0; i < paras.length; i++) {
      var base = +paras[i].dataset.start, text = paras[i].textContent, m, cpAt = 0, unitAt = 0;
      WORD.lastIndex = 0;
      while ((m = WORD.exec(text))) {
        // convert UTF-16 match positions to code points incrementally
        cpAt += ReadoutOffsets.utf16ToCodePoint(text.slice(unitAt, m.index));
        unitAt = m.index;
        var len = ReadoutOffsets.codePointLength(m[0]);
        tokens.push([base + cpAt, base + cpAt + len]);
      }
    }
    return tokens;
  }

  // index of the first token whose end > cp
  function tokenAfter(cp) {
    var t = allTokens(), lo = 0, hi = t.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (t[mid][1] <= cp) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // Grow a selection to whole words: the start to the beginning of its word, the end to the end of its word.
  function snap(range) {
    var t = allTokens();
    var i = tokenAfter(range.start);
    var j = tokenAfter(range.end - 1);
    if (i >= t.length) return null;
    if (j >= t.length || t[j][0] >= range.end) j -= 1;  // end fell in the space after a word
    if (j < i) return null;
    return { start: t[i][0], end: t[j][1] };
  }

  function showSelection(range) {
    var dom = ReadoutOffsets.offsetsToRange(textEl, range.start, range.end);
    if (!dom) return null;
    var s = window.getSelection();
    s.removeAllRanges();
    s.addRange(dom);
    return dom;
  }

  // ---- the theme picker --------------------------------------------------------------------------------------
  function items() { return Array.prototype.slice.call(pickerList.querySelectorAll("li[data-theme]")); }
  function visibleItems() { return items().filter(function (li) { return !li.hidden; }); }
  function setActive(li) {
    items().forEach(function (x) { x.classList.toggle("active", x === li); x.setAttribute("aria-selected", x === li); });
    // screen readers follow the active option while the focus stays in the search box
    if (li) { pickerSearch.setAttribute("aria-activedescendant", li.id); keepInList(li); }
    else pickerSearch.removeAttribute("aria-activedescendant");
  }

  // Scroll the list (never the page: the picker may not be in place yet) so the active option shows.
  function keepInList(li) {
    var top = li.offsetTop, bottom = top + li.offsetHeight;
    if (top < pickerList.scrollTop) pickerList.scrollTop = top;
    else if (bottom > pickerList.scrollTop + pickerList.clientHeight) pickerList.scrollTop = bottom - pickerList.clientHeight;
  }

  // Recently used themes come first in the picker (kept in localStorage, the last five).
  var RECENT_KEY = "readout:recent-themes";
  function recentThemes() {
    try { return JSON.parse(localStorage.getItem(RECENT_KEY) || "[]"); } catch (e) { return []; }
  }
  function rememberTheme(id) {
    var ids = recentThemes().filter(function (x) { return x !== String(id); });
    ids.unshift(String(id));
    try { localStorage.setItem(RECENT_KEY, JSON.stringify(ids.slice(0, 5))); } catch (e) { /* private mode */ }
  }
  var treeOrder = null;  // the server's order (the tree), restored before the recent ones move up
  function orderPicker() {
    if (!treeOrder) treeOrder = items();
    treeOrder.forEach(function (li) { li.classList.remove("recent"); pickerList.appendChild(li); });
    recentThemes().slice().reverse().forEach(function (id) {
      var li = $("picker-t" + id);
      if (li && pickerList.contains(li)) { li.classList.add("recent"); pickerList.insertBefore(li, pickerList.firstChild); }
    });
  }

  function openPicker(domRange) {
    if (!canWrite() || !sel) return;
    closeChooser();
    orderPicker();
    var rect = domRange ? domRange.getBoundingClientRect() : textEl.getBoundingClientRect();
    picker.hidden = false;
    pickerSearch.value = "";
    filterPicker();
    var top = rect.bottom + window.scrollY + 6;
    var left = Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - picker.offsetWidth - 12);
    picker.style.top = top + "px";
    picker.style.left = Math.max(8, left) + "px";
    picker.classList.remove("busy");
  }

  function closePicker() { picker.hidden = true; }
  function pickerOpen() { return !picker.hidden; }

  function filterPicker() {
    var q = pickerSearch.value.trim().toLowerCase();
    items().forEach(function (li) { li.hidden = q !== "" && li.dataset.name.indexOf(q) === -1; });
    setActive(visibleItems()[0] || null);
  }

  function moveActive(step) {
    var vis = visibleItems();
    if (!vis.length) return;
    var i = vis.findIndex(function (li) { return li.classList.contains("active"); });
    setActive(vis[(i + step + vis.length) % vis.length]);
  }

  function post(url, values, options) {
    options = options || {};
    return htmx.ajax("POST", url, {
      source: textEl, values: values, target: options.target || textEl, swap: options.swap || "none",
    });
  }

  function createSpan(themeId) {
    if (!sel || busy) return;
    busy = true;
    picker.classList.add("busy");
    var wanted = { start: sel.start, end: sel.end };
    pendingCreate = wanted;
    rememberTheme(themeId);
    post(ws.dataset.createUrl, { start: wanted.start, end: wanted.end, theme: themeId });
  }

  function markQuote() {
    if (!sel || busy || !ws.dataset.quoteUrl) return;
    busy = true;
    pendingCreate = { start: sel.start, end: sel.end };
    post(ws.dataset.quoteUrl, { start: sel.start, end: sel.end });
  }

  var pendingCreate = null;
  document.addEventListener("htmx:afterRequest", function (e) {
    if (!pendingCreate || e.detail.elt !== textEl) return;
    var path = e.detail.requestConfig && e.detail.requestConfig.path;
    if (path !== ws.dataset.createUrl && path !== ws.dataset.quoteUrl) return;
    var wanted = pendingCreate;
    pendingCreate = null;
    busy = false;
    picker.classList.remove("busy");
    if (e.detail.successful) {
      closePicker();
      sel = null;
      window.getSelection().removeAllRanges();
      if (kbd) { kbd.anchor = kbd.focus; } // keep the keyboard caret where it was
      textEl.focus({ preventScroll: true });
    } else {
      // app.js shows the error; the selection stays so the user can try again
      sel = wanted;
      showSelection(wanted);
    }
  });

  // ---- mouse selection ---------------------------------------------------------------------------------------
  function onMouseUp(event) {
    if (event.button !== 0) return;
    var alt = event.altKey;
    setTimeout(function () {
      var s = window.getSelection();
      if (!s.rangeCount || s.isCollapsed) return;
      var range = s.getRangeAt(0);
      if (!textEl.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== textEl) return;
      var offsets = ReadoutOffsets.rangeToOffsets(textEl, range);
      if (!offsets) return;
      if (!alt) offsets = snap(offsets);
      if (!offsets) return;
      sel = offsets;
      kbd = null;
      var dom = alt ? range : showSelection(offsets);
      openPicker(dom || range);
    }, 0);
  }

  // ---- clicking highlights: pick among the spans, entity and quote at that spot ------------------------------
  function closeChooser() { chooser.hidden = true; chooser.textContent = ""; }

  function extentOf(key) {
    var segs = textEl.querySelectorAll('[data-m~="' + key + '"]');
    if (!segs.length) return null;
    var r = document.createRange();
    r.setStartBefore(segs[0]);
    r.setEndAfter(segs[segs.length - 1]);
    return ReadoutOffsets.rangeToOffsets(textEl, r);
  }

  function button(label, onClick, cls, key) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    if (key) {  // pressed while the chooser is open: the first button with that key
      b.dataset.key = key;
      var k = document.createElement("kbd");
      k.textContent = key;
      b.appendChild(document.createTextNode(" "));
      b.appendChild(k);
    }
    if (cls) b.className = cls;
    b.addEventListener("click", function (e) { e.stopPropagation(); onClick(); });
    return b;
  }

  function onClick(event) {
    if (!window.getSelection().isCollapsed) return;
    var seg = event.target.closest("[data-m]");
    if (!seg || !textEl.contains(seg)) { closeChooser(); return; }
    var keys = seg.dataset.m.split(" ");
    var spanKeys = keys.filter(function (k) { return k[0] === "a"; });
    var others = keys.filter(function (k) { return k[0] !== "a"; });
    if (spanKeys.length === 1 && !others.length) { openEditor(spanKeys[0].slice(1)); return; }
    closePicker();
    chooser.textContent = "";
    var title = document.createElement("p");
    title.className = "picker-hint";
    title.textContent = keys.length === 1 ? "One highlight here" : keys.length + " highlights here: choose one";
    chooser.appendChild(title);
    spanKeys.forEach(function (key) {
      var row = $("s" + key.slice(1));
      var text = row ? row.querySelector(".span-open").textContent : "span";
      var chips = row ? Array.prototype.map.call(row.querySelectorAll(".chip"), function (c) { return c.textContent; }).join(", ") : "";
      chooser.appendChild(button("Span " + text + (chips ? " — " + chips : ""), function () {
        closeChooser(); openEditor(key.slice(1));
      }, "choice"));
    });
    others.forEach(function (key) {
      if (key[0] === "q") {
        var p = document.createElement("p");
        p.className = "choice-info";
        p.textContent = seg.title || "Quote";
        chooser.appendChild(p);
        // confirming happens in the quotes panel: its form, submitted from here
        var confirm = document.querySelector("#qp-quote-" + key.slice(1) + " form[action$='/confirm/']");
        if (confirm && canWrite()) {
          chooser.appendChild(button("Confirm quote", function () { closeChooser(); confirm.requestSubmit(); }, "", "c"));
        }
      } else if (key[0] === "e") {
        var label = (seg.className.match(/\be-(\S+)/) || [])[1] || "entity";
        var box = document.createElement("div");
        box.className = "choice-entity";
        var name = document.createElement("span");
        name.textContent = "Entity (" + label + ")" + (seg.classList.contains("ea") ? " ✓" : "");
        box.appendChild(name);
        if (canWrite()) {
          var id = key.slice(1), url = urlFor(ws.dataset.entityUrl, id);
          box.appendChild(button("Accept", function () { closeChooser(); post(url, { status: "accepted" }, { target: "#entity-panel", swap: "outerHTML" }); }, "", "a"));
          box.appendChild(button("Reject", function () { closeChooser(); post(url, { status: "rejected" }, { target: "#entity-panel", swap: "outerHTML" }); }, "", "r"));
          box.appendChild(button("Make span", function () {
            var ext = extentOf(key);
            if (!ext) return;
            sel = ext;
            openPicker(showSelection(ext));
          }));
        }
        chooser.appendChild(box);
      }
    });
    chooser.hidden = false;
    var rect = seg.getBoundingClientRect();
    chooser.style.top = rect.bottom + window.scrollY + 6 + "px";
    chooser.style.left = Math.max(8, rect.left + window.scrollX) + "px";
    var first = chooser.querySelector("button");
    if (first) first.focus();
  }

  // ---- the span editor ---------------------------------------------------------------------------------------
  function openEditor(id) {
    closeChooser();
    textEl.querySelectorAll(".flash").forEach(function (el) { el.classList.remove("flash"); });
    textEl.querySelectorAll('[data-m~="a' + id + '"]').forEach(function (el) { el.classList.add("flash"); });
    htmx.ajax("GET", urlFor(ws.dataset.spanUrl, id), { source: editor, target: editor, swap: "innerHTML" }).then(function () {
      var panel = $("span-editor-body");
      if (panel) {
        panel.scrollIntoView({ block: "nearest" });
        var first = panel.querySelector("input[type=checkbox], button");
        if (first) first.focus({ preventScroll: true });
      }
    });
  }

  // ---- keyboard selection ------------------------------------------------------------------------------------
  function applyKbd() {
    var t = allTokens();
    var a = Math.min(kbd.anchor, kbd.focus), b = Math.max(kbd.anchor, kbd.focus);
    sel = { start: t[a][0], end: t[b][1] };
    var dom = showSelection(sel);
    if (dom) {
      var r = dom.getBoundingClientRect();
      if (r.top < 60 || r.bottom > window.innerHeight - 20) {
        window.scrollBy({ top: r.top - window.innerHeight / 3 });
      }
    }
    return dom;
  }

  function paragraphStartToken(fromToken, direction) {
    var t = allTokens(), cp = t[fromToken][0];
    var paras = textEl.querySelectorAll("p[data-start]");
    var starts = [];
    for (var i = 0; i < paras.length; i++) if (+paras[i].dataset.end > +paras[i].dataset.start) starts.push(+paras[i].dataset.start);
    var current = 0;
    for (var k = 0; k < starts.length; k++) if (starts[k] <= cp) current = k;
    var target = Math.min(Math.max(current + direction, 0), starts.length - 1);
    return tokenAfter(starts[target]);
  }

  function onTextKey(event) {
    if (pickerOpen() || event.target !== textEl) return;
    var t = allTokens();
    if (!t.length) return;
    var key = event.key;
    var move = { ArrowRight: 1, ArrowLeft: -1 }[key];
    if (move || key === "ArrowDown" || key === "ArrowUp") {
      event.preventDefault();
      if (!kbd) {
        var i = sel ? tokenAfter(sel.start) : 0;
        kbd = { anchor: i, focus: sel ? Math.max(i, tokenAfter(sel.end - 1)) : i };
        if (!sel) { applyKbd(); return; }
      }
      var next = move ? kbd.focus + move : paragraphStartToken(kbd.focus, key === "ArrowDown" ? 1 : -1);
      next = Math.min(Math.max(next, 0), t.length - 1);
      kbd.focus = next;
      if (!event.shiftKey) kbd.anchor = next;
      applyKbd();
      return;
    }
    if ((key === "Enter" || key === " ") && sel && canWrite()) {
      event.preventDefault();
      openPicker(showSelection(sel));
      return;
    }
    if (key === "Escape") {
      sel = null; kbd = null; window.getSelection().removeAllRanges(); closeChooser();
      return;
    }
    // n / p: next / previous article in my queue; Shift+S: submit for review (which asks first)
    if ((key === "n" || key === "p") && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var link = document.querySelector('.ws-queue a[rel="' + (key === "n" ? "next" : "prev") + '"]');
      if (link) { event.preventDefault(); window.location.assign(link.href); }
      return;
    }
    if (key === "S" && $("submit-review")) { event.preventDefault(); $("submit-review").click(); return; }
    if (key === "e" && kbd) {
      // edit the innermost span under the keyboard caret
      var dom = ReadoutOffsets.offsetsToRange(textEl, t[kbd.focus][0], t[kbd.focus][1]);
      var node = dom && dom.startContainer.parentElement;
      var seg = node && node.closest("[data-m]");
      var spanKey = seg && seg.dataset.m.split(" ").filter(function (k) { return k[0] === "a"; }).pop();
      if (spanKey) { event.preventDefault(); openEditor(spanKey.slice(1)); }
    }
  }

  // ---- keys while the picker is open -------------------------------------------------------------------------
  function onPickerKey(event) {
    if (!pickerOpen()) return;
    var key = event.key;
    // while the search box holds text every key types into it: a letter shortcut must not fire mid-word
    var searching = pickerSearch.value !== "";
    if (key === "Escape") { event.preventDefault(); event.stopPropagation(); closePicker(); textEl.focus({ preventScroll: true }); if (sel) showSelection(sel); return; }
    if (key === "Tab") {
      // keep the focus inside the picker: cycle through its search field and buttons
      event.preventDefault();
      var stops = Array.prototype.slice.call(picker.querySelectorAll("input, button"));
      var at = stops.indexOf(document.activeElement);
      var step = event.shiftKey ? -1 : 1;
      stops[at < 0 ? (step > 0 ? 0 : stops.length - 1) : (at + step + stops.length) % stops.length].focus();
      return;
    }
    if (key === "ArrowDown") { event.preventDefault(); moveActive(1); return; }
    if (key === "ArrowUp") { event.preventDefault(); moveActive(-1); return; }
    if (key === "Enter") {
      event.preventDefault();
      event.stopPropagation();
      var active = pickerList.querySelector("li.active:not([hidden])");
      if (active) createSpan(active.dataset.theme);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || key.length !== 1) return;
    if (!searching) {
      var lower = key.toLowerCase();
      var match = items().filter(function (li) { return li.dataset.key && li.dataset.key === lower; })[0];
      if (match) { event.preventDefault(); event.stopPropagation(); createSpan(match.dataset.theme); return; }
      if (lower === "q" && $("picker-quote")) { event.preventDefault(); event.stopPropagation(); markQuote(); return; }
    }
    if (document.activeElement !== pickerSearch) pickerSearch.focus();  // the key then types into the search
  }

  // ---- undo / redo -------------------------------------------------------------------------------------------
  // One stack for the page: each entry is {undo, redo}, functions that return a promise. Span entries come from
  // here (undoing a creation deletes the span, the server keeps it as deleted; redoing restores it); the quotes
  // panel (quotes.js) records its own through window.ReadoutUndo.record. The server's history records each step.
  var done = [], undone = [];

  function spanPath(id, action) { return urlFor(ws.dataset.spanUrl, id) + (action ? action + "/" : ""); }

  // Requests a replayed step makes carry this header, so they are not recorded as new steps.
  var REPLAY = { "X-Readout-Replay": "1" };
  function isReplay(e) {
    var headers = (e.detail.requestConfig && e.detail.requestConfig.headers) || {};
    return !!headers["X-Readout-Replay"];
  }
  function record(entry) {
    if (!entry) return;
    done.push(entry);
    undone = [];
  }
  window.ReadoutUndo = { record: record, isReplay: isReplay, headers: REPLAY };

  function spanEntry(kind, id) {
    return {
      undo: function () { return apply({ kind: kind, id: id }, true); },
      redo: function () { return apply({ kind: kind, id: id }, false); },
    };
  }

  function recordSpanAction(e) {
    if (isReplay(e) || !e.detail.successful) return;
    var xhr = e.detail.xhr, path = (e.detail.requestConfig && e.detail.requestConfig.path) || "";
    var m = path.match(/\/span\/(\d+)\/(delete|restore)\/$/);
    if (path === ws.dataset.createUrl && xhr.status === 201) {
      try { record(spanEntry("create", String(JSON.parse(xhr.getResponseHeader("HX-Trigger")).spanChanged.id))); }
      catch (err) { /* no id: nothing to undo */ }
    } else if (m) {
      record(spanEntry(m[2], m[1]));
    }
  }

  function deleteSpan(id) {
    // the current version comes with the editor (a save elsewhere may have changed it)
    return htmx.ajax("GET", spanPath(id), { source: editor, target: editor, swap: "innerHTML", headers: REPLAY }).then(function () {
      var version = editor.querySelector("input[name=version]");
      if (!version) throw new Error("not editable");
      return htmx.ajax("POST", spanPath(id, "delete"), {
        source: editor, target: editor, swap: "innerHTML", values: { version: version.value }, headers: REPLAY,
      });
    }).then(function () { if (!$("undo-delete")) throw new Error("not deleted"); });
  }
  function restoreSpan(id) {
    return htmx.ajax("POST", spanPath(id, "restore"), { source: editor, target: editor, swap: "innerHTML", headers: REPLAY })
      .then(function () { if (!editor.querySelector("#span-editor-body[data-span='" + id + "']")) throw new Error("not restored"); });
  }
  function apply(entry, backwards) {
    var removes = backwards ? entry.kind !== "delete" : entry.kind === "delete";
    return removes ? deleteSpan(entry.id) : restoreSpan(entry.id);
  }
  // Steps run one after the other: a key pressed while a step is on its way waits for it (never dropped).
  var queue = Promise.resolve();
  function replay(from, to, backwards, none) {
    queue = queue.then(function () {
      var entry = from.pop();
      if (!entry) { toast(none); return; }
      // the step takes its place on the other stack now, before anything the user does while it runs (a span
      // deleted from the editor meanwhile is a later step); it leaves that stack again if it fails
      to.push(entry);
      return Promise.resolve().then(function () { return backwards ? entry.undo() : entry.redo(); }).then(null, function () {
        var at = to.lastIndexOf(entry);
        if (at >= 0) to.splice(at, 1);
        toast("That step can no longer be " + (backwards ? "undone" : "redone") + ".");
      });
    }).catch(function () { /* the chain goes on */ });
  }
  function undo() { replay(done, undone, true, "Nothing to undo since the page opened."); }
  function redo() { replay(undone, done, false, "Nothing to redo."); }

  // ---- wiring ------------------------------------------------------------------------------------------------
  function init() {
    ws = $("workspace");
    if (!ws) return;
    textEl = $("article-text");
    picker = $("picker");
    pickerSearch = $("picker-search");
    pickerList = $("picker-list");
    chooser = $("chooser");
    editor = $("span-editor");

    textEl.addEventListener("mouseup", onMouseUp);
    textEl.addEventListener("click", onClick);
    textEl.addEventListener("keydown", onTextKey);
    document.addEventListener("keydown", onPickerKey, true);
    pickerSearch.addEventListener("input", filterPicker);
    chooser.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") {
        var keyed = !e.ctrlKey && !e.metaKey && !e.altKey && chooser.querySelector('button[data-key="' + e.key + '"]');
        if (keyed) { e.preventDefault(); keyed.click(); textEl.focus({ preventScroll: true }); }
        return;
      }
      e.preventDefault();
      closeChooser();
      textEl.focus({ preventScroll: true });
    });
    pickerList.addEventListener("click", function (e) {
      var li = e.target.closest("li[data-theme]");
      if (li) createSpan(li.dataset.theme);
    });
    pickerList.addEventListener("mousemove", function (e) {
      var li = e.target.closest("li[data-theme]");
      if (li) setActive(li);
    });
    var quoteButton = $("picker-quote");
    if (quoteButton) quoteButton.addEventListener("click", markQuote);

    document.addEventListener("mousedown", function (e) {
      if (!picker.hidden && !picker.contains(e.target)) closePicker();
      if (!chooser.hidden && !chooser.contains(e.target)) closeChooser();
    });

    // span list rows and the editor's close button
    document.addEventListener("click", function (e) {
      var open = e.target.closest("a.span-open");
      if (open) { e.preventDefault(); openEditor(open.closest("li").id.slice(1)); return; }
      if (e.target.closest(".editor-close")) { editor.textContent = ""; return; }
      var ent = e.target.closest(".ent-to-span");
      if (ent) {
        sel = { start: +ent.dataset.start, end: +ent.dataset.end };
        var dom = showSelection(sel);
        if (dom) dom.startContainer.parentElement.scrollIntoView({ block: "center" });
        openPicker(showSelection(sel));
      }
    });

    // Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y): undo and redo span and quote actions since the page opened.
    document.addEventListener("htmx:afterRequest", recordSpanAction);
    document.addEventListener("keydown", function (e) {
      if (!(e.ctrlKey || e.metaKey) || /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) return;
      var key = e.key.toLowerCase();
      if (key === "z" && !e.shiftKey) { e.preventDefault(); undo(); }
      else if ((key === "z" && e.shiftKey) || key === "y") { e.preventDefault(); redo(); }
    });

    // A 409 (somebody saved first) carries the current state of the span: show it instead of failing silently.
    document.addEventListener("htmx:beforeSwap", function (e) {
      var xhr = e.detail.xhr;
      if (xhr.status === 409 && (xhr.getResponseHeader("Content-Type") || "").indexOf("text/html") === 0) {
        e.detail.shouldSwap = true;
        e.detail.isError = false;
        toast("This span was changed elsewhere; nothing was saved. Your note is kept; the saved one is shown beside it.");
      }
    });

    // Tab counts follow what the panels hold: spans listed (and still to load), quotes, suggestions to decide.
    var side = ws.querySelector(".ws-side");
    var countsQueued = false;
    function setCount(name, n) {
      var el = side.querySelector('[data-count-of="' + name + '"]');
      if (el && n != null && el.textContent !== String(n)) el.textContent = n;
    }
    function updateCounts() {
      countsQueued = false;
      var more = $("span-list-more");
      setCount("spans", side.querySelectorAll("#span-list li.span-row").length + (more ? +more.dataset.count : 0));
      var quotes = side.querySelector("#quotes-panel .qp-count");
      if (quotes) setCount("quotes", quotes.textContent.trim());
      var panel = $("entity-panel");
      if (panel && !panel.hasAttribute("hx-get")) {
        var pending = 0;
        panel.querySelectorAll("[data-pending]").forEach(function (li) { pending += +li.dataset.pending; });
        setCount("entities", pending);
      }
      var empty = $("span-list-empty");
      if (empty) empty.hidden = side.querySelectorAll("#span-list li").length > 0;
    }
    new MutationObserver(function () {
      if (!countsQueued) { countsQueued = true; requestAnimationFrame(updateCounts); }
    }).observe(side, { childList: true, subtree: true });
    updateCounts();

    // "?" shows every shortcut (not while typing in a field or choosing a theme); Esc or the button closes it.
    var overlay = $("shortcuts"), overlayReturn = null;
    function toggleShortcuts(show) {
      if (show) { overlayReturn = document.activeElement; overlay.hidden = false; overlay.focus(); }
      else { overlay.hidden = true; if (overlayReturn && overlayReturn.focus) overlayReturn.focus({ preventScroll: true }); }
    }
    document.addEventListener("keydown", function (e) {
      if (!overlay.hidden && e.key === "Escape") { e.preventDefault(); e.stopPropagation(); toggleShortcuts(false); return; }
      if (e.key !== "?" || e.ctrlKey || e.metaKey || e.altKey || pickerOpen()) return;
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName) || document.activeElement.isContentEditable) return;
      e.preventDefault();
      toggleShortcuts(overlay.hidden);
    });
    $("shortcuts-open").addEventListener("click", function () { toggleShortcuts(true); });
    $("shortcuts-close").addEventListener("click", function () { toggleShortcuts(false); });
    overlay.addEventListener("click", function (e) { if (e.target === overlay) toggleShortcuts(false); });

    // Entities show in the text while their tab is open, whatever their layer switch says.
    function entityTabOpen() {
      var tab = $("tab-entities");
      textEl.classList.toggle("tab-ent", !!tab && tab.getAttribute("aria-selected") === "true");
    }
    document.addEventListener("tabchange", entityTabOpen);
    entityTabOpen();

    ws.dataset.ready = "1";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
