"""Summary tables of the insights pages: per-day aggregates rebuilt by ``summaries.summaries_refresh``.

Every article has one ``published`` day, so a count of distinct articles (or quotes) per day adds up over any range
of days, week or month: the pages sum these rows instead of grouping a million spans. Ids are plain integers, not
foreign keys: the tables are rebuilt whole, never edited, and belong to no other app's deletion rules.
"""

from django.db import models


class SummaryState(models.Model):
    """One row: the fingerprint of the data the summaries were built from, and when."""

    key = models.CharField(primary_key=True, max_length=20, default="insights")
    fingerprint = models.CharField(max_length=400, blank=True)
    requested = models.CharField(max_length=400, blank=True)  # the fingerprint a queued refresh was asked for
    refreshed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"summaries refreshed {self.refreshed_at}"


class DayRow(models.Model):
    """A row of a per-day summary table."""

    day = models.DateField()
    outlet_id = models.BigIntegerField(null=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.day} outlet {self.outlet_id}"


class ArticleDay(DayRow):
    articles = models.PositiveIntegerField()
    words = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "outlet_id"], name="insights_articleday_idx")]


class ThemeDay(DayRow):
    """Counted spans and articles carrying a theme, per day × outlet × theme × basis."""

    theme_id = models.BigIntegerField()
    basis = models.CharField(max_length=10)
    spans = models.PositiveIntegerField()
    articles = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["basis", "day"],
                include=["theme_id", "outlet_id", "spans", "articles"],
                name="insights_themeday_idx",
            )
        ]


class QuoteDay(DayRow):
    """Live quotes per day × outlet × speaker × kind."""

    speaker_id = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=10)
    quotes = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["day", "outlet_id"], include=["speaker_id", "kind", "quotes"], name="insights_quoteday_idx"
            )
        ]


class SpeakerThemeDay(DayRow):
    """Quotes overlapping a counted span with the theme, per day × outlet × theme × speaker × basis."""

    theme_id = models.BigIntegerField()
    speaker_id = models.BigIntegerField()
    basis = models.CharField(max_length=10)
    quotes = models.PositiveIntegerField()

    class Meta:
        # covering: the top-speakers-per-theme sum reads the index only (PostgreSQL; elsewhere a plain index)
        indexes = [
            models.Index(
                fields=["basis", "day"],
                include=["theme_id", "speaker_id", "outlet_id", "quotes"],
                name="insights_speakerthemeday_idx",
            )
        ]


class StatementLink(models.Model):
    """Two quotes of one speaker in different articles whose similarity reaches ``statements.THRESHOLD``, published
    in the same or consecutive weeks (``statements.linked_quote_pairs``); ``a`` < ``b``."""

    speaker_id = models.BigIntegerField()
    quote_a = models.BigIntegerField()
    quote_b = models.BigIntegerField()
    day_a = models.DateField(null=True)
    day_b = models.DateField(null=True)
    outlet_a = models.BigIntegerField(null=True)
    outlet_b = models.BigIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["speaker_id", "day_a"], name="insights_statementlink_idx"),
            models.Index(fields=["quote_a"], name="insights_statementlink_a_idx"),
            models.Index(fields=["quote_b"], name="insights_statementlink_b_idx"),
        ]

    def __str__(self) -> str:
        return f"quote {self.quote_a} ~ quote {self.quote_b}"


class ReportSnapshot(models.Model):
    """A computed report kept as JSON (the reliability report: its bootstrap is seconds of CPU at scale)."""

    key = models.CharField(primary_key=True, max_length=40)
    data = models.JSONField()

    def __str__(self) -> str:
        return self.key


class CooccurrenceDay(DayRow):
    """Units (spans, paragraphs or articles) carrying both themes ``theme_a`` ≤ ``theme_b``, per day × outlet ×
    basis × level (a unit lies in one article, so units add up over days)."""

    basis = models.CharField(max_length=10)
    level = models.CharField(max_length=10)
    theme_a = models.BigIntegerField()
    theme_b = models.BigIntegerField()
    units = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["basis", "level", "day"],
                include=["theme_a", "theme_b", "outlet_id", "units"],
                name="insights_cooccurrenceday_idx",
            )
        ]
