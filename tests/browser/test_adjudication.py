"""Done-when of issue 13: the full adjudication of a double-coded seed article in Chromium.

Two analysts code the Xinhua seed article through the services (what the workspace calls) and submit; the supervisor
accepts where they agree in one action, walks the disagreements with the keyboard, fixes a boundary by selecting
text (snapped to words; Alt for exact characters), accepts one reading, rejects a span with a reason the analyst
then sees, comments on a span (the analyst replies in the thread), approves both; then the downloaded CSV
(status=accepted) and DocBin hold exactly the gold spans.
"""

import csv
import io

import pytest
import spacy
from playwright.sync_api import expect
from spacy.tokens import DocBin

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from apps.assignments.models import Assignment
from apps.assignments.services import assignment_create, assignment_start, assignment_submit
from apps.review.models import GoldSpan
from tests.browser.conftest import ARTIFACTS, login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "A section heading, not a frame."


def switch_user(page, username):
    page.goto("about:blank")  # nothing of the previous page may set a cookie after this
    page.context.clear_cookies()
    login(page, username)


def code(article, user, phrase, theme):
    start = article.text.index(phrase)
    return annotation_create(
        article=article, annotator=user, start=start, end=start + len(phrase), theme_ids=[theme.pk]
    )[0]


def drag_select(page, start, end, *, alt=False):
    """A real mouse drag over [start, end) (code points) of the article text, Alt held or not."""
    box = page.evaluate(
        """([s, e]) => {
            const c = document.getElementById('gold-text');
            const r = ReadoutOffsets.offsetsToRange(c, s, e);
            r.startContainer.parentElement.scrollIntoView({block: 'center'});
            const one = (node, off) => { const x = document.createRange(); x.setStart(node, off);
                                         x.setEnd(node, off + 1); return x.getBoundingClientRect(); };
            const a = one(r.startContainer, r.startOffset), b = one(r.endContainer, r.endOffset - 1);
            return {x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2};
        }""",
        [start, end],
    )
    page.evaluate("getSelection().removeAllRanges()")  # a drag that starts on selected text would move it instead
    if alt:
        page.keyboard.down("Alt")
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()
    if alt:
        page.keyboard.up("Alt")


def visible_disagreement(page):
    return page.locator("#disagreements .disagreement:visible")


def walk_to(page, analyst_text):
    """Press j until the disagreement shown holds ``analyst_text`` (at most once round)."""
    for _ in range(page.locator("#disagreements .disagreement").count()):
        expect(visible_disagreement(page)).to_have_count(1)  # one card at a time, once a swap or a step settled
        if analyst_text in visible_disagreement(page).locator(".dis-columns").inner_text():
            return visible_disagreement(page)
        page.keyboard.press("j")
    raise AssertionError(
        f"no disagreement shows {analyst_text!r}: "
        + " | ".join(page.locator("#disagreements .disagreement .dis-columns").all_inner_texts())
        + page.locator("#walk-pos").inner_text()
    )


def test_full_adjudication_of_a_double_coded_seed_article(page, screenshot, seed_articles, themes):
    UserFactory(username="sue", role="Supervisor", first_name="Sue")
    ana = UserFactory(username="ana", role="Analyst", first_name="Ana")
    bob = UserFactory(username="bob", role="Analyst", first_name="Bob")
    sue = type(ana).objects.get(username="sue")
    article = next(a for a in seed_articles if a.outlet.name == "Xinhua")
    t = {x.name: x for x in themes}

    # two analysts code the seed text (through the services) and submit
    for user in (ana, bob):
        assignment_create(article=article, analyst=user, assigned_by=sue)
        code(
            article, user, "unilateralism and the act of power politics and bullying", t['unilateralism and "bullying"']
        )
        code(article, user, "special responsibility as major countries", t["UN-centred international order"])
    code(article, ana, "correct historical perspective on World War II", t["WWII memory"])
    code(article, bob, "historical perspective on World War II (WWII)", t["WWII memory"])
    code(article, ana, "strategic coordination", t["strategic partnership and mutual trust"])
    code(article, bob, "strategic coordination", t["multilateral platforms (BRICS, SCO)"])
    robust = code(article, bob, "ROBUST TIES", t["Ukraine war"])
    for user in (ana, bob):
        assignment = Assignment.objects.get(article=article, analyst=user)
        assignment_start(assignment=assignment, actor=user)
        assignment_submit(assignment=assignment, actor=user)

    # the supervisor opens the review page: two agreements, three disagreements
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "sue")
    page.goto(f"/review/articles/{article.pk}/")
    assert page.locator("#disagreement-count").inner_text() == "3"  # agreements are not disagreements
    assert "(2 exact)" in page.get_by_role("button", name="Accept where analysts agree").inner_text()
    screenshot(page, "review-1280")

    # 1. accept where analysts agree, in one action (exact threshold by default)
    page.get_by_role("button", name="Accept where analysts agree").click()
    page.wait_for_selector("#gold-count >> text=2")
    ana_row = page.locator("#assignments tr[data-analyst=ana]")
    assert "2 undecided spans" in ana_row.inner_text()  # the counts beside Approve follow (out of band)
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#adjudication").screenshot(path=str(ARTIFACTS / "adjudication-walk-390.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    assert GoldSpan.objects.filter(article=article, origin="agreed").count() == 2  # one per agreement, not two
    assert page.locator("#walk-pos").inner_text() == "Disagreement 1 of 3"

    # 2. walk the disagreements: j / k move, only one shows at a time, each analyst's reading side by side
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    assert page.locator("#walk-pos").inner_text() == "Disagreement 2 of 3"
    page.keyboard.press("k")
    assert page.locator("#walk-pos").inner_text() == "Disagreement 1 of 3"
    assert page.locator("#disagreements .disagreement:visible").count() == 1
    page.get_by_role("button", name="Next").click()
    assert page.locator("#walk-pos").inner_text() == "Disagreement 2 of 3"

    # 3. fix a boundary by selecting text: Alt keeps exact characters, a plain drag snaps to whole words
    card = walk_to(page, "historical perspective on World War II (WWII)")
    assert card.locator(".dis-column[data-analyst=ana]").inner_text().count("correct historical") == 1
    start = article.text.index("correct historical")
    drag_select(page, start + 3, start + len("correct historical perspective on World Wa"), alt=True)
    assert card.locator("[data-fix-text]").inner_text().startswith("“rect historical perspective on World Wa”")
    drag_select(page, start + 3, start + len("correct historical perspective on World Wa"))
    fixed = "correct historical perspective on World War"
    assert card.locator("[data-fix-text]").inner_text() == f"“{fixed}” [{start}, {start + len(fixed)})"
    screenshot(page, "fix-by-selection-1280")
    card.get_by_role("button", name="Save the fixed span to gold").click()
    page.wait_for_selector("#gold-count >> text=3")
    assert GoldSpan.objects.get(article=article, origin="fixed").text == fixed

    # 4. accept one reading of a theme clash: the other analyst's span is rejected with a reason
    card = walk_to(page, "multilateral platforms")
    ana_span = Annotation.objects.get(article=article, annotator=ana, text="strategic coordination")
    card.get_by_role("button", name=f"Accept Ana’s span {ana_span.pk}").click()
    page.wait_for_selector("#gold-count >> text=4")

    # 5. comment on Bob's lone span, then reject it with a reason (the reason is required)
    card = walk_to(page, "ROBUST TIES")
    card.locator(".span-comment summary").click()
    card.get_by_label("Comment on this span").fill("Headings are not coded.")
    card.get_by_role("button", name="Post comment").click()
    page.wait_for_selector("#comments >> text=Headings are not coded.")
    card = walk_to(page, "ROBUST TIES")
    card.locator(".reject-span summary").click()
    card.get_by_label("Reason (the analyst sees it)").fill(REASON)
    card.get_by_role("button", name=f"Reject span {robust.pk}").click()
    page.wait_for_selector("#no-disagreements")
    assert page.locator("#disagreement-count").inner_text() == "0"

    # 6. approve both: every span is decided, so approval asks nothing more
    for name in ("ana", "bob"):
        page.locator(f"#assignments tr[data-analyst={name}]").get_by_role("button", name="Approve").click()
        page.wait_for_selector("text=Approved the work of")
    assert set(Assignment.objects.filter(article=article).values_list("state", flat=True)) == {"approved"}
    screenshot(page, "adjudicated-1280")
    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "adjudicated-390")

    # 7. the CSV (status=accepted) and the DocBin hold exactly the gold spans
    gold = {
        (g.start, g.end, g.text, th.slug)
        for g in GoldSpan.objects.filter(article=article, deleted_at__isnull=True)
        for th in g.themes.all()
    }
    assert {x[2] for x in gold} == {
        "unilateralism and the act of power politics and bullying",
        "special responsibility as major countries",
        fixed,
        "strategic coordination",
    }
    response = page.request.get("/exports/download/?format=csv&status=accepted")
    assert response.ok
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert {(int(r["start"]), int(r["end"]), r["span_text"], r["theme"]) for r in rows} == gold
    assert len(rows) == len(gold) and {r["layer"] for r in rows} == {"gold"}
    response = page.request.get("/exports/download/?format=docbin")
    assert response.ok
    (doc,) = list(DocBin().from_bytes(response.body()).get_docs(spacy.blank("en").vocab))
    assert {(s.start_char, s.end_char, s.text, s.label_) for s in doc.spans["sc"]} == gold

    # 8. Bob sees the reasons on his feedback page and replies in the span's thread
    page.set_viewport_size({"width": 1280, "height": 900})
    switch_user(page, "bob")
    page.goto("/review/queue/")
    page.get_by_role("link", name="2 spans rejected: see why").click()
    page.wait_for_url(f"**/review/articles/{article.pk}/feedback/#rejections")
    reasons = page.locator("#rejections").inner_text()
    assert REASON in reasons and "Another reading was chosen for the gold standard" in reasons
    thread = page.locator(".thread-root", has_text="Headings are not coded.")
    assert "ROBUST TIES" in thread.inner_text()
    thread.locator(".reply-form summary").click()
    thread.get_by_label("Reply to Sue").fill("Understood, I will skip headings.")
    thread.get_by_role("button", name="Post reply").click()
    page.wait_for_selector(".thread-root .replies >> text=Understood, I will skip headings.")
    screenshot(page, "analyst-feedback-1280")
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "analyst-feedback-390")
    # Ana never sees the thread on Bob's span
    switch_user(page, "ana")
    page.goto(f"/review/articles/{article.pk}/feedback/")
    assert "Headings are not coded." not in page.content()
    assert page.js_errors == []
