"""The workspace in Chromium on the big article (10,000 words, 2,000 spans, 1,000 entity suggestions, 60 quotes).

- ready_ms: from the start of navigation until the workspace accepts a selection (workspace.js has bound its
  handlers: #workspace[data-ready]); checked by then making a selection and seeing the picker open.
- highlight_ms: from the theme key press (a real key event) until the new span's highlight is in the text and
  its row in the span list, plus one animation frame (so the browser has painted it).
Medians over --runs. A live server (threaded, SQLite in a temp dir) serves the real app; Debian's Chromium.

    .venv/bin/python bench/workspace_browser_bench.py [--runs 5]

Last line: {"ready_ms": ..., "highlight_ms": ...}
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Installed before the key press: t0 at the keydown (capture phase, before the picker's handler), done when the new
# row and highlight exist, after one more frame.
WATCH = """(count) => {
  window.__hl = {t0: null, t1: null};
  document.addEventListener('keydown', () => { if (window.__hl.t0 === null) window.__hl.t0 = performance.now(); },
                            {capture: true, once: true});
  const list = document.getElementById('span-list');
  const check = () => {
    if (list.children.length > count) {
      requestAnimationFrame(() => { window.__hl.t1 = performance.now(); });
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}"""

SELECT = """([s, e]) => {
  const c = document.getElementById('article-text');
  const r = ReadoutOffsets.offsetsToRange(c, s, e);
  r.startContainer.parentElement.scrollIntoView({block: 'center'});
  const b = r.getClientRects()[0], z = r.getClientRects()[r.getClientRects().length - 1];
  return [b.x + 1, b.y + b.height / 2, z.x + z.width - 1, z.y + z.height / 2];
}"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} not found (apt-get install chromium)")

    tmp = tempfile.mkdtemp(prefix="readout-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright
    from workspace_bench import build, make_text, word_spans

    from apps.accounts.models import User
    from apps.accounts.services import roles_setup
    from apps.annotations.models import Annotation

    call_command("migrate", verbosity=0)
    call_command("loaddata", "themes", verbosity=0)
    user = User.objects.create_user(username="bench", password="pass-for-bench")
    user.groups.add(roles_setup()["Analyst"])
    rng = random.Random(7)
    text = make_text(10_000, rng)
    article = build(2_000, text, rng, title="big")
    taken = set(Annotation.objects.filter(article=article).values_list("start", "end"))
    free = [(s, e) for s, e in word_spans(text)[200:] if (s, e) not in taken and e - s > 3]

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_context(base_url=base, viewport={"width": 1400, "height": 1000}).new_page()
        page.set_default_timeout(30_000)
        page.goto("/accounts/login/")
        page.fill("#id_username", "bench")
        page.fill("#id_password", "pass-for-bench")
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        url = f"/annotate/{article.pk}/"
        page.goto(url)  # warm-up (server caches, browser cache of static files)

        ready, timings = [], []
        for _ in range(args.runs):
            page.wait_for_load_state("networkidle")  # the previous page's lazy panels are not competing
            t0 = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.wait_for_selector("#workspace[data-ready='1']", state="attached")
            ready.append((time.perf_counter() - t0) * 1000)
            timings.append(
                page.evaluate(
                    "(() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return [n.responseStart - n.requestStart, n.responseEnd - n.responseStart,"
                    " n.domInteractive - n.responseEnd, n.domContentLoadedEventEnd - n.domInteractive]; })()"
                )
            )
        n_segments = page.evaluate("document.querySelectorAll('#article-text [data-m]').length")
        n_rows = page.evaluate("document.querySelectorAll('#span-list li').length")

        highlight = []
        for k in range(args.runs):
            start, end = free[k * 37]
            x0, y0, x1, y1 = page.evaluate(SELECT, [start, end])
            page.mouse.move(x0, y0)
            page.mouse.down()
            page.mouse.move(x1, y1, steps=3)
            page.mouse.up()
            page.wait_for_selector("#picker:not([hidden])")
            count = page.evaluate("document.getElementById('span-list').children.length")
            page.evaluate(WATCH, count)
            page.keyboard.press("1")
            deadline = time.time() + 10
            result = None
            while time.time() < deadline:
                result = page.evaluate("window.__hl")
                if result["t1"] is not None:
                    break
                time.sleep(0.005)
            if not result or result["t1"] is None:
                raise SystemExit("the highlight never appeared")
            highlight.append(result["t1"] - result["t0"])
        created = Annotation.objects.filter(article=article).count() - 2000
        browser.close()
    server.terminate()

    ready_ms, highlight_ms = statistics.median(ready), statistics.median(highlight)
    print(f"page: {n_segments} highlighted segments, {n_rows} span rows; {created} spans created by the bench")
    parts = [statistics.median(t[i] for t in timings) for i in range(4)]
    server, download, parse, scripts = parts
    print(
        f"ready breakdown (medians, ms): server {server:.0f}, download {download:.0f}, parse {parse:.0f}, "
        f"scripts {scripts:.0f}"
    )
    print(f"ready:     {ready_ms:7.0f} ms (runs: {', '.join(f'{r:.0f}' for r in ready)}) target < 1000")
    print(f"highlight: {highlight_ms:7.0f} ms (runs: {', '.join(f'{r:.0f}' for r in highlight)}) target < 200")
    print(json.dumps({"ready_ms": round(ready_ms), "highlight_ms": round(highlight_ms)}))


if __name__ == "__main__":
    main()
