"""Theme suggestions: the fitted suggesters (versions), the suggestions they made, the codebook keywords and who
sees the layer. Suggestions are their own rows: they never count as annotations until a person accepts one, which
creates an ordinary span through apps.annotations.services.annotation_create."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class ThemeKeywords(models.Model):
    """Supervisors' keywords for a theme's cold start (the Theme table belongs to the annotations app)."""

    theme = models.OneToOneField("annotations.Theme", on_delete=models.CASCADE, related_name="suggestion_keywords")
    keywords = models.TextField(blank=True, help_text="One per line or comma separated; prefixes match.")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"keywords of theme {self.theme_id}"


class SuggesterModel(models.Model):
    """One trained version of the suggester. Training runs in the task worker; the fitted model is pickled into
    ``blob`` (written only by that task, never from user input)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    version = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(max_length=200, blank=True)  # "on demand by sue", "after 25 decisions"
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    trained_at = models.DateTimeField(null=True, blank=True)
    train_seconds = models.FloatField(null=True, blank=True)
    n_examples = models.PositiveIntegerField(default=0)
    metrics = models.JSONField(default=dict, blank=True)  # examples per theme, cold-start themes, error text
    blob = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-version"]
        indexes = [models.Index(fields=["status", "version"], name="suggester_status_version_idx")]

    def __str__(self):
        return f"suggester v{self.version} ({self.status})"


class Suggestion(models.Model):
    """A theme suggested for a passage [start, end) of an article by one model version (None: the codebook's
    keywords before any model was trained)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey("corpus.Article", on_delete=models.CASCADE, related_name="theme_suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()  # copy of article.text[start:end]
    theme = models.ForeignKey("annotations.Theme", on_delete=models.CASCADE, related_name="suggestions")
    score = models.FloatField()
    cold_start = models.BooleanField(default=False)
    model = models.ForeignKey(
        SuggesterModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    model_version = models.PositiveIntegerField(default=0)  # kept when old model rows are pruned; 0 = codebook
    neighbours = models.JSONField(default=list, blank=True)  # up to 3 {"ref", "text", "similarity"}
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    annotation = models.ForeignKey(  # the span an acceptance created
        "annotations.Annotation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "start", "-score"]
        indexes = [
            models.Index(fields=["article", "status"], name="suggestion_article_status_idx"),
            models.Index(fields=["theme", "status"], name="suggestion_theme_status_idx"),
            models.Index(fields=["decided_at"], name="suggestion_decided_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="suggestion_start_before_end"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="suggestion_score_0_1"),
            models.UniqueConstraint(
                fields=["article", "start", "end", "theme"], condition=Q(status="open"), name="unique_open_suggestion"
            ),
        ]

    def __str__(self):
        return f"{self.theme_id} @ {self.article_id}:{self.start}-{self.end} ({self.score:.2f})"


class LayerPreference(models.Model):
    """An analyst's own switch: hide the suggestion layer."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    hidden = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user_id}: suggestions {'hidden' if self.hidden else 'shown'}"


class BlindCoding(models.Model):
    """A supervisor hides suggestions from analysts for one article, or for all (``article`` None: global)."""

    article = models.OneToOneField("corpus.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article"], condition=Q(article__isnull=True), name="one_global_blind"),
        ]

    def __str__(self):
        return f"blind coding: {self.article_id or 'all articles'}"
