import pytest

from apps.assignments.models import Assignment
from apps.corpus.models import Article
from apps.quotes.models import Quote, Speaker
from tests.browser.conftest import login
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

KREMLIN = "At Kremlin talks, Putin and Xi cast themselves as defenders of world order"
MISSED = "a ruse by Putin to create the impression he wants to end the war"

# Select `phrase` in the article text the way a user's drag would: a DOM Range over the rendered text nodes.
SELECT = """(phrase) => {
  const root = document.getElementById('article-text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = []; let all = '';
  while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
  const i = all.indexOf(phrase);
  if (i < 0) throw new Error('not in the text: ' + phrase);
  const j = i + phrase.length;
  const range = document.createRange();
  for (const [n, off] of nodes) { if (off <= i && i < off + n.data.length) { range.setStart(n, i - off); break; } }
  for (const [n, off] of nodes) { if (off < j && j <= off + n.data.length) { range.setEnd(n, j - off); break; } }
  const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
}"""

# Some quote card in the panel holds text t[0] and names speaker t[1].
ATTRIBUTED = """([text, name]) => [...document.querySelectorAll('.qp-quote')].some(
  q => q.textContent.includes(text) && q.querySelector('.qp-speaker').textContent.trim() === name)"""


def quote_card(page, containing):
    return page.locator(".qp-quote").filter(has=page.locator(".qp-text", has_text=containing))


def test_analyst_checks_attributions_changes_a_speaker_adds_a_missed_quote_and_sees_the_speaker_page(
    page, seed_articles, screenshot
):
    analyst = UserFactory(username="ana", role="Analyst")
    for article in seed_articles:
        Assignment.objects.create(article=article, analyst=analyst)
    article = Article.objects.get(title__startswith=KREMLIN)

    login(page, "ana")
    page.goto(f"/articles/{article.pk}/")
    panel = page.locator("#quotes-panel .quotes-panel")
    panel.wait_for()

    # the extractor's quotes are attributed: Putin's and Xi's, in the panel and on hover in the text
    speakers = panel.locator(".qp-speaker").all_inner_texts()
    assert "Vladimir Putin" in speakers and "Xi Jinping" in speakers
    putin_mark = page.locator("#article-text .m-quote", has_text="The victory over fascism").first
    assert "Quote: Vladimir Putin" in putin_mark.get_attribute("title")
    xi_mark = page.locator("#article-text .m-quote", has_text="jointly promote the correct view").first
    assert "Quote: Xi Jinping" in xi_mark.get_attribute("title")
    screenshot(page, "article-with-quotes")

    # add a missed quote by selecting it in the text
    page.evaluate(SELECT, MISSED)
    add = panel.locator("[data-add-button]")
    page.wait_for_function("() => !document.querySelector('[data-add-button]').disabled")
    panel.locator("form[data-quote-add] select[name=kind]").select_option("indirect")
    add.click()
    card = quote_card(page, MISSED)
    card.wait_for()
    # the write answered with the panel; its own quoteChanged event must not reload it (the notice stays). Tag the
    # panel the answer drew, wait until the same event has re-drawn the text and the network is quiet: the tagged
    # panel is still the one on the page.
    page.evaluate("document.querySelector('#quotes-panel .quotes-panel').dataset.drawnBy = 'the-write'")
    quote = Quote.objects.get(article=article, text=MISSED)
    page.wait_for_selector(f"#article-text .m-quote[data-m~='q{quote.pk}']")
    page.wait_for_load_state("networkidle")
    assert page.locator("#quotes-panel .quotes-panel[data-drawn-by='the-write']").count() == 1
    assert panel.locator(".qp-notice").inner_text() == "Quote added."
    assert card.locator(".qp-speaker").inner_text() == "Unattributed"
    assert article.text[quote.start : quote.end] == MISSED and quote.created_by == analyst

    # attribute it to a new speaker, a place
    card.locator(".qp-edit-open").click()  # the edit forms load on demand
    card.locator(".qp-edit-speaker[open]").wait_for()
    card.locator("input[name=new_name]").fill("Ukraine")
    card.locator("select[name=new_kind]").select_option("place")
    card.get_by_role("button", name="Create and attribute").click()
    page.wait_for_function(ATTRIBUTED, arg=[MISSED, "Ukraine"])
    # the highlight layer re-renders with the new quote and its speaker
    page.wait_for_selector("#article-text .m-quote[title*='Quote: Ukraine']")

    # change the speaker of an extracted quote through the autocomplete (an alias search)
    bombs = quote_card(page, "guided bombs")
    bombs.locator(".qp-edit-open").click()  # the edit forms load on demand
    bombs.locator(".qp-edit-speaker[open]").wait_for()
    # the form was just swapped in: type once htmx has settled it (its search trigger is wired then)
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-request, .htmx-swapping')")
    bombs.locator("input[name=q]").fill("ukra")
    option = bombs.locator(".qp-option", has_text="Ukraine").filter(has_not_text="Foreign Ministry")
    option.click()
    page.wait_for_function(ATTRIBUTED, arg=["guided bombs", "Ukraine"])
    ukraine = Speaker.objects.get(name="Ukraine")
    assert ukraine.kind == "place"
    assert Quote.objects.get(article=article, text__contains="guided bombs").speaker == ukraine
    screenshot(page, "panel-after-edits")

    # the speaker page shows both quotes, the alias and the kind
    quote_card(page, MISSED).locator("a.qp-speaker").click()
    page.wait_for_url(f"**/quotes/speakers/{ukraine.pk}/")
    rows = page.locator(".speaker-quote")
    assert rows.count() == 2
    assert MISSED in page.locator(".speaker-quotes").inner_text()
    assert "guided bombs" in page.locator(".speaker-quotes").inner_text()
    assert "Place" in page.locator(".meta").inner_text()
    assert "Ukraine" in page.locator("ul.aliases").inner_text()
    screenshot(page, "speaker-page")
    assert page.js_errors == []


def test_a_selection_after_an_emoji_is_stored_at_code_point_offsets(page, screenshot):
    analyst = UserFactory(username="ana", role="Analyst")
    article = ArticleFactory(text="Leaders 🤝 met in 北京 today.\n😀 “We stand together,” the minister said.")
    Assignment.objects.create(article=article, analyst=analyst)

    login(page, "ana")
    page.goto(f"/articles/{article.pk}/")
    page.locator("#quotes-panel .quotes-panel").wait_for()
    assert page.locator("#quote-count").inner_text() == "0"
    page.evaluate(SELECT, "We stand together")
    page.wait_for_function("() => !document.querySelector('[data-add-button]').disabled")
    page.locator("[data-add-button]").click()
    quote_card(page, "We stand together").wait_for()

    quote = Quote.objects.get(article=article)
    assert quote.text == "We stand together"
    assert (quote.start, quote.end) == (article.text.index("We"), article.text.index("We") + len("We stand together"))

    # the text re-renders with the new highlight (quoteChanged); select only once it has, as a user would
    page.wait_for_function(
        "() => [...document.querySelectorAll('#article-text .m-quote')].some(m => m.textContent.includes('We stand'))"
    )
    page.wait_for_load_state("networkidle")
    assert page.locator("#quote-count").inner_text() == "1"  # the layer switch counts the new quote

    # fix the span by re-selecting another passage (a CJK name inside it)
    card = quote_card(page, "We stand together")
    card.locator(".qp-edit-open").click()  # the edit forms load on demand
    card.locator("summary", has_text="Fix span").click()
    page.evaluate(SELECT, "met in 北京 today")
    card.get_by_role("button", name="Use the selected text").click()
    card.get_by_role("button", name="Save span").click()
    quote_card(page, "met in 北京 today").wait_for()
    quote.refresh_from_db()
    assert quote.text == "met in 北京 today" and article.text[quote.start : quote.end] == quote.text
    # the highlight layer follows the new span
    page.wait_for_function(
        "(t) => [...document.querySelectorAll('#article-text .m-quote')].map(m => m.textContent).join('|') === t",
        arg="met in 北京 today",
    )
    screenshot(page, "emoji-quote")
    assert page.js_errors == []
