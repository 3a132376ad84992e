from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from apps.nlp import names


class Speaker(models.Model):
    """A source of quotes across the corpus: a person, an organisation or a place."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        PLACE = "place", "Place"

    name = models.CharField(max_length=200)  # canonical: full name without titles
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    role = models.CharField(max_length=200, blank=True)  # titles seen most recently ("Chinese President")
    roles = models.JSONField(default=list, blank=True)  # every title seen, first seen first
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="speaker_name_idx")]

    def __str__(self):
        return self.name


class SpeakerAlias(models.Model):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    alias_key = models.CharField(max_length=200, db_index=True)  # casefolded, for lookups across the corpus
    history = HistoricalRecords()

    class Meta:
        ordering = ["alias"]
        constraints = [models.UniqueConstraint(fields=["speaker", "alias_key"], name="unique_alias_per_speaker")]

    def __str__(self):
        return self.alias


class SharedQuoteManager(models.Manager):
    """Quotes everyone may see: an analyst's private addition (blind double annotation) stays out of every page,
    export and count until a reviewer adopts it; ``Quote.all_objects`` reaches those too."""

    def get_queryset(self):
        return super().get_queryset().filter(private_to__isnull=True)


class Quote(models.Model):
    """A statement attributed to a source: the content span [start, end) of the article text, and its cue."""

    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct"
        INDIRECT = "indirect", "Indirect"
        MIXED = "mixed", "Mixed"

    article = models.ForeignKey("corpus.Article", on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INDIRECT)
    cue = models.CharField(max_length=60, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    speaker_mention = models.CharField(max_length=200, blank=True)
    confidence = models.FloatField(default=0.0)
    confirmed = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(  # null: found by the extractor at import
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # set for a quote an analyst added under blind double annotation: only they (and reviewers) see it
    private_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    all_objects = models.Manager()
    objects = SharedQuoteManager()

    class Meta:
        base_manager_name = "all_objects"
        default_manager_name = "objects"
        ordering = ["article", "start"]
        indexes = [models.Index(fields=["article", "start"], name="quote_article_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="quote_start_before_end"),
            models.CheckConstraint(
                condition=Q(cue_start__isnull=True) | Q(cue_start__lt=F("cue_end")), name="quote_cue_span_valid"
            ),
            models.CheckConstraint(condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="quote_confidence_0_1"),
            # one live quote per passage: two people adding the same quote at once cannot both succeed
            models.UniqueConstraint(
                fields=["article", "start", "end"],
                condition=Q(deleted_at__isnull=True, private_to__isnull=True),
                name="unique_live_quote",
            ),
            models.UniqueConstraint(
                fields=["article", "start", "end", "private_to"],
                condition=Q(deleted_at__isnull=True, private_to__isnull=False),
                name="unique_live_private_quote",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def source_description(self) -> str:
        """How the text describes a source that has no registry speaker ("officials", "a source close to the
        talks"); empty for a bare pronoun, which describes no one."""
        mention = " ".join(self.speaker_mention.split())
        return "" if mention.casefold() in names.PRONOUNS else mention


class QuoteCorrection(models.Model):
    """One analyst's own version of a shared quote under blind double annotation: confirmed, re-attributed, with
    other boundaries or kind, or deleted. The shared quote stays as it was until a reviewer decides; every change
    is kept in history. ``version`` continues the quote's (the first correction claims the quote's version)."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="corrections")
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=Quote.Kind.choices)
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quote", "analyst"], name="unique_quote_correction"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="quote_correction_start_before_end"),
        ]

    def __str__(self):
        return f"{self.analyst_id}: quote {self.quote_id}"
