"""The export filters: one form shared by the export page and ``manage.py export_spans``.

Every field is plain text so that a value that does not exist is named in the error ("No theme 'xyz'.") instead
of Django's generic choice message, and so the command can feed its options through the same validation.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Exists, OuterRef
from django.urls import reverse

from apps.accounts.models import User
from apps.annotations.models import Annotation, Theme
from apps.corpus.models import Outlet
from apps.ingest.models import ImportBatch
from apps.nlp.names import alias_key
from apps.quotes.models import Speaker

from .selectors import SpanFilters

FORMATS = {
    "csv": "CSV (one row per span and theme)",
    "excel": "Excel (the same CSV, UTF-8 with BOM)",
    "jsonl": "JSONL (whole database, lossless)",
    "docbin": "spaCy DocBin (accepted spans: the gold standard)",
}
CSV_FORMATS = ("csv", "excel")
FILTER_NAMES = ("theme", "outlet", "date_from", "date_to", "status", "annotator", "speaker", "batch")
_WHOLE_DATABASE = "JSONL is the whole database, lossless: filters do not apply."


def filters_not_applying(fmt: str) -> dict[str, str]:
    """{filter name: why it does not apply} for a format; the page disables these fields and says why."""
    if fmt == "jsonl":
        return dict.fromkeys(FILTER_NAMES, _WHOLE_DATABASE)
    if fmt == "docbin":
        return {"status": "A DocBin holds accepted spans only: the gold standard."}
    return {}


def _date(value: str, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise forms.ValidationError(f"{label} '{value}' is not a date (use YYYY-MM-DD).", code="bad_date") from None


class SpanFilterForm(forms.Form):
    theme = forms.CharField(required=False, max_length=120, widget=forms.Select)
    outlet = forms.CharField(required=False, max_length=200, widget=forms.Select)
    date_from = forms.CharField(
        label="Published from", required=False, max_length=10, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.CharField(
        label="Published to", required=False, max_length=10, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.CharField(label="Review state", required=False, max_length=10, widget=forms.Select)
    annotator = forms.CharField(required=False, max_length=150, widget=forms.Select)
    speaker = forms.CharField(
        required=False,
        max_length=200,
        help_text="Spans inside the speaker's quotes: a name or an alias (Xi, President Xi...), or an id",
        widget=forms.TextInput(
            attrs={"placeholder": "name or alias", "list": "speaker-options", "autocomplete": "off"}
        ),
    )
    batch = forms.CharField(
        label="Import batch",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "batch #", "inputmode": "numeric"}),
    )

    def __init__(self, *args, with_choices: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_choices:  # the page shows selects and suggests speakers; the command needs neither
            self.fields["speaker"].widget.attrs.update(
                {
                    "hx-get": reverse("exports:speakers"),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": "#speaker-options",
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:replace",
                }
            )
            self.fields["theme"].widget.choices = [("", "Any theme")] + list(
                Theme.objects.order_by("order", "name").values_list("slug", "name")
            )
            self.fields["outlet"].widget.choices = [("", "Any outlet")] + [
                (str(pk), name) for pk, name in Outlet.objects.order_by("name").values_list("pk", "name")
            ]
            # "accepted" reads the adjudicated gold layer (one span per passage, see exports.selectors.span_layer)
            self.fields["status"].widget.choices = [("", "Any state (analysts' own spans)")] + [
                (value, "Accepted: the gold standard" if value == Annotation.Status.ACCEPTED else label)
                for value, label in Annotation.Status.choices
            ]
            self.fields["annotator"].widget.choices = [("", "Anyone")] + list(
                User.objects.filter(Exists(Annotation.objects.filter(annotator=OuterRef("pk"))))
                .order_by("username")
                .values_list("username", "username")
            )

    def disable_for(self, fmt: str) -> dict[str, str]:
        """Disable the fields that do not apply to ``fmt`` (a browser does not send them); returns the reasons."""
        reasons = filters_not_applying(fmt)
        for name in reasons:
            described_by = "filters-note" if fmt == "jsonl" else f"why-{name}"
            self.fields[name].widget.attrs.update({"disabled": True, "aria-describedby": described_by})
        return reasons

    def clean_theme(self) -> Theme | None:
        slug = self.cleaned_data["theme"].strip()
        if not slug:
            return None
        theme = Theme.objects.filter(slug=slug).first()
        if theme is None:
            raise forms.ValidationError(f"No theme '{slug}'.", code="unknown_theme")
        return theme

    def clean_outlet(self) -> Outlet | None:
        value = self.cleaned_data["outlet"].strip()
        if not value:
            return None
        outlet = Outlet.objects.filter(pk=int(value)).first() if value.isdigit() else None
        outlet = outlet or Outlet.objects.filter(name=value).first()
        if outlet is None:
            raise forms.ValidationError(f"No outlet '{value}'.", code="unknown_outlet")
        return outlet

    def clean_date_from(self) -> dt.date | None:
        return _date(self.cleaned_data["date_from"].strip(), "Date from")

    def clean_date_to(self) -> dt.date | None:
        return _date(self.cleaned_data["date_to"].strip(), "Date to")

    def clean_status(self) -> str:
        value = self.cleaned_data["status"].strip()
        if value and value not in Annotation.Status.values:
            raise forms.ValidationError(
                f"No review state '{value}' (use {', '.join(Annotation.Status.values)}).", code="unknown_status"
            )
        return value

    def clean_annotator(self) -> User | None:
        value = self.cleaned_data["annotator"].strip()
        if not value:
            return None
        user = User.objects.filter(username=value).first()
        if user is None:
            raise forms.ValidationError(f"No user '{value}'.", code="unknown_annotator")
        return user

    def clean_speaker(self) -> Speaker | None:
        """An id, the speaker's name or one of its aliases ("Xi" for "Xi Jinping"), case-insensitively."""
        value = " ".join(self.cleaned_data["speaker"].split())
        if not value:
            return None
        if value.lstrip("#").isdigit():
            speaker = Speaker.objects.filter(pk=int(value.lstrip("#"))).first()
            if speaker is None:
                raise forms.ValidationError(f"No speaker #{value.lstrip('#')}.", code="unknown_speaker")
            return speaker
        live = Speaker.objects.filter(merged_into__isnull=True)
        matches = list(live.filter(name__iexact=value)[:2]) or list(
            live.filter(aliases__alias_key=alias_key(value)).distinct()[:6]
        )
        if not matches:
            raise forms.ValidationError(f"No speaker or alias '{value}'.", code="unknown_speaker")
        if len(matches) > 1:
            names = ", ".join(f"{s.name} (#{s.pk})" for s in matches[:5])
            raise forms.ValidationError(
                f"Several speakers go by '{value}': {names}. Choose one from the list.", code="ambiguous_speaker"
            )
        return matches[0]

    def clean_batch(self) -> ImportBatch | None:
        value = self.cleaned_data["batch"].strip().lstrip("#")
        if not value:
            return None
        batch = ImportBatch.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if batch is None:
            raise forms.ValidationError(f"No import batch '{value}'.", code="unknown_batch")
        return batch

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("'Published from' is after 'Published to'.", code="bad_range")
        return data

    def filters(self) -> SpanFilters:
        d = self.cleaned_data
        return SpanFilters(
            theme_id=d["theme"].pk if d.get("theme") else None,
            outlet_id=d["outlet"].pk if d.get("outlet") else None,
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            status=d.get("status") or "",
            annotator_id=d["annotator"].pk if d.get("annotator") else None,
            speaker_id=d["speaker"].pk if d.get("speaker") else None,
            batch_id=d["batch"].pk if d.get("batch") else None,
        )

    def error_text(self) -> str:
        """All errors as one plain sentence list, for a 400 body or a CommandError."""
        return " ".join(str(message) for errors in self.errors.values() for message in errors)


class ExportRefused(ValueError):
    """Input that names nothing exportable; the message says which value and why."""


def export_format(value: str | None) -> str:
    fmt = (value or "csv").strip().lower()
    if fmt not in FORMATS:
        raise ExportRefused(f"Unknown format '{fmt}' (use {', '.join(FORMATS)}).")
    return fmt


def check_filters_for(fmt: str, filters: SpanFilters) -> None:
    """Shared with the command: JSONL is the whole database; a DocBin holds accepted spans only."""
    if fmt == "jsonl" and not filters.is_empty():
        raise ExportRefused(
            "JSONL is a full, lossless dump of the database: filters do not apply to it. "
            "Clear the filters or choose CSV."
        )
    if fmt == "docbin" and filters.status not in ("", Annotation.Status.ACCEPTED):
        raise ExportRefused(f"A DocBin holds accepted spans only; review state '{filters.status}' cannot apply.")
