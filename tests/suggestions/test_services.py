import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.annotations.models import Annotation, Theme
from apps.assignments.models import Assignment
from apps.suggestions import selectors, services
from apps.suggestions.models import SuggesterModel, Suggestion
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_TEXT = (
    "Beijing vowed to respond to the new tariffs and sanctions on its chip makers.\n"
    "The Foreign Ministry said Taiwan is an inalienable part of China and opposed any arms sale.\n"
    "The weather in Moscow was mild on Thursday."
)


def _suggestion(article, theme, fragment, **kwargs):
    start = article.text.index(fragment)
    return Suggestion.objects.create(
        article=article, theme=theme, start=start, end=start + len(fragment), text=fragment, score=0.9, **kwargs
    )


def _train(capture, reason="test"):
    with capture(execute=True):  # the immediate task backend runs the task when the request's transaction commits
        model = services.suggester_training_request(reason=reason)
    model.refresh_from_db()
    return model


def test_training_runs_as_a_task_and_stores_a_versioned_model(coded_corpus, django_capture_on_commit_callbacks):
    model = _train(django_capture_on_commit_callbacks)
    assert model.status == SuggesterModel.Status.READY and model.version == 1
    assert model.n_examples > 100 and model.trained_at and model.blob
    per_theme = model.metrics["examples_per_theme"]
    assert len(per_theme) == 12 and min(per_theme.values()) >= 5
    assert model.metrics["cold_start_theme_ids"] == []
    assert _train(django_capture_on_commit_callbacks).version == 2


def test_training_examples_take_accepted_and_submitted_spans_but_not_pending_or_rejected(themes):
    analyst = UserFactory(role="Analyst")
    article = ArticleFactory(text="Sanctions bite hard. Tariffs rose again. Taiwan was discussed. Talks ended.")
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")
    for fragment, status in (
        ("Sanctions bite hard.", "accepted"),
        ("Tariffs rose again.", "pending"),
        ("Taiwan was discussed.", "rejected"),
    ):
        start = article.text.index(fragment)
        span = Annotation.objects.create(
            article=article, annotator=analyst, start=start, end=start + len(fragment), text=fragment, status=status
        )
        span.themes.set([themes[4]])
    texts = {e.text: e for e in selectors.training_examples()}
    assert {t for t, e in texts.items() if e.theme_ids} == {"Sanctions bite hard."}
    assert "Talks ended." in texts and not texts["Talks ended."].theme_ids  # an uncoded sentence: a negative
    Assignment.objects.filter(article=article).update(state="submitted")  # submitted work counts, after accepted
    coded = [e for e in selectors.training_examples() if e.theme_ids]
    assert [e.text for e in coded] == ["Sanctions bite hard.", "Tariffs rose again."]
    assert [e.accepted for e in coded] == [True, False]


def test_without_any_model_suggestions_come_from_keywords_marked_cold_start(themes):
    article = ArticleFactory(text=NEW_TEXT)
    rows = services.suggestions_refresh(article=article)
    assert rows and all(s.cold_start and s.model is None and s.model_version == 0 for s in rows)
    assert {s.theme.slug for s in rows} >= {"sanctions-and-tariffs", "taiwan-one-china"}
    assert not any("weather" in s.text for s in rows)


def test_a_trained_model_suggests_with_its_version_and_nearest_accepted_passages(
    coded_corpus, django_capture_on_commit_callbacks
):
    _train(django_capture_on_commit_callbacks)
    article = ArticleFactory(text=NEW_TEXT)
    rows = services.suggestions_refresh(article=article)
    taiwan = next(s for s in rows if s.theme.slug == "taiwan-one-china")
    assert taiwan.model_version == 1 and not taiwan.cold_start and 0.4 <= taiwan.score <= 1
    assert article.text[taiwan.start : taiwan.end] == taiwan.text
    assert 1 <= len(taiwan.neighbours) <= 3
    accepted = set(Annotation.objects.filter(status="accepted").values_list("id", flat=True))
    assert {n["ref"] for n in taiwan.neighbours} <= accepted
    # asking again reuses the rows; a new version replaces the open ones
    assert {s.pk for s in services.suggestions_refresh(article=article)} == {s.pk for s in rows}
    _train(django_capture_on_commit_callbacks)
    assert {s.model_version for s in services.suggestions_refresh(article=article)} == {2}


def test_accepting_creates_the_analysts_span_through_the_annotations_service(themes, analyst):
    article = ArticleFactory(text=NEW_TEXT)
    Assignment.objects.create(article=article, analyst=analyst)
    sanctions = Theme.objects.get(slug="sanctions-and-tariffs")
    suggestion = _suggestion(article, sanctions, NEW_TEXT.split("\n")[0])
    decided = services.suggestion_decide(suggestion=suggestion, actor=analyst, accept=True)
    span = decided.annotation
    assert decided.status == "accepted" and decided.decided_by == analyst and decided.decided_at
    assert (span.annotator, span.start, span.end, span.text) == (
        analyst,
        suggestion.start,
        suggestion.end,
        suggestion.text,
    )
    assert list(span.themes.all()) == [sanctions] and span.status == "pending"  # an ordinary span from now on
    assert span.history.first().history_change_reason == "created in the workspace"
    with pytest.raises(ValidationError):
        services.suggestion_decide(suggestion=suggestion, actor=analyst, accept=False)


def test_accepting_with_adjusted_boundaries_and_rejecting(themes, analyst):
    article = ArticleFactory(text=NEW_TEXT)
    Assignment.objects.create(article=article, analyst=analyst)
    theme = Theme.objects.get(slug="sanctions-and-tariffs")
    one = _suggestion(article, theme, NEW_TEXT.split("\n")[0])
    start = NEW_TEXT.index("the new tariffs")
    decided = services.suggestion_decide(
        suggestion=one, actor=analyst, accept=True, start=start, end=start + len("the new tariffs")
    )
    assert decided.annotation.text == "the new tariffs"
    two = _suggestion(article, Theme.objects.get(slug="taiwan-one-china"), NEW_TEXT.split("\n")[1])
    assert services.suggestion_decide(suggestion=two, actor=analyst, accept=False).status == "rejected"
    assert Annotation.objects.count() == 1


def test_deciding_follows_the_write_policy(themes, analyst, other_analyst):
    article = ArticleFactory(text=NEW_TEXT)
    assignment = Assignment.objects.create(article=article, analyst=analyst, state="submitted")
    suggestion = _suggestion(article, themes[4], NEW_TEXT.split("\n")[0])
    for user in (other_analyst, analyst):  # not assigned; assigned but the work is under review
        with pytest.raises(PermissionDenied):
            services.suggestion_decide(suggestion=suggestion, actor=user, accept=True)
    assignment.state = "changes_requested"
    assignment.save()
    assert services.suggestion_decide(suggestion=suggestion, actor=analyst, accept=True).annotation


def test_every_k_decisions_queue_a_training_run(themes, analyst, monkeypatch):
    monkeypatch.setattr(services, "RETRAIN_EVERY", 2)
    article = ArticleFactory(text=NEW_TEXT)
    Assignment.objects.create(article=article, analyst=analyst)
    lines = NEW_TEXT.split("\n")
    services.suggestion_decide(suggestion=_suggestion(article, themes[4], lines[0]), actor=analyst, accept=False)
    assert not SuggesterModel.objects.exists()
    services.suggestion_decide(suggestion=_suggestion(article, themes[5], lines[1]), actor=analyst, accept=False)
    assert SuggesterModel.objects.get().reason == "after 2 new decisions"


def test_blind_coding_hides_the_layer_from_analysts_not_supervisors(themes, analyst, supervisor):
    article = ArticleFactory()
    assert selectors.layer_state(user=analyst, article_id=article.pk).visible
    services.blind_coding_set(actor=supervisor, hidden=True, article=article)
    assert not selectors.layer_state(user=analyst, article_id=article.pk).visible
    assert selectors.layer_state(user=supervisor, article_id=article.pk).visible
    services.blind_coding_set(actor=supervisor, hidden=False, article=article)
    services.blind_coding_set(actor=supervisor, hidden=True)
    assert not selectors.layer_state(user=analyst, article_id=ArticleFactory().pk).visible
    with pytest.raises(PermissionDenied):
        services.blind_coding_set(actor=analyst, hidden=False)
    services.blind_coding_set(actor=supervisor, hidden=False)
    services.layer_preference_set(user=analyst, hidden=True)
    state = selectors.layer_state(user=analyst, article_id=article.pk)
    assert not state.visible and state.hidden_by_user


def test_supervisor_keywords_drive_the_cold_start(themes, supervisor, analyst):
    theme = Theme.objects.get(slug="people-to-people-and-cultural-exchange")
    services.theme_keywords_set(theme=theme, keywords="panda,\nballet", actor=supervisor)
    entry = next(e for e in selectors.codebook() if e.theme_id == theme.pk)
    assert entry.keywords == ("panda", "ballet")
    rows = services.suggestions_refresh(article=ArticleFactory(text="A panda pair arrived at Moscow Zoo today."))
    assert [s.theme_id for s in rows] == [theme.pk]
    with pytest.raises(PermissionDenied):
        services.theme_keywords_set(theme=theme, keywords="x", actor=analyst)


def test_live_precision_counts_analysts_decisions(themes, analyst):
    article = ArticleFactory(text=NEW_TEXT)
    theme = themes[4]
    for i, status in enumerate(["accepted", "accepted", "rejected", "open"]):
        Suggestion.objects.create(
            article=article, theme=theme, start=i, end=i + 5, text=NEW_TEXT[i : i + 5], score=0.5, status=status
        )
    row = next(r for r in selectors.theme_quality() if r["theme"] == theme)
    assert (row["accepted"], row["rejected"], row["open"]) == (2, 1, 1)
    assert row["precision"] == pytest.approx(2 / 3)
