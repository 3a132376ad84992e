"""Input parsing for the quote panel and speaker pages. Business rules live in services."""

from __future__ import annotations

from django import forms

from .models import Quote, Speaker


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1)


class QuoteCreateForm(forms.Form):
    # No bounds here: the service checks them against the article and says what is wrong.
    start = forms.IntegerField()
    end = forms.IntegerField()
    kind = forms.ChoiceField(choices=Quote.Kind.choices, required=False)
    speaker = forms.IntegerField(required=False)


class QuoteSpanForm(VersionForm):
    start = forms.IntegerField()
    end = forms.IntegerField()
    kind = forms.ChoiceField(choices=Quote.Kind.choices, required=False)


class QuoteSpeakerForm(VersionForm):
    """Either an existing speaker (``speaker``; empty = unattributed) or a new one (``new_name``)."""

    speaker = forms.IntegerField(required=False)
    new_name = forms.CharField(required=False, max_length=200)
    new_kind = forms.ChoiceField(choices=Speaker.Kind.choices, required=False)
    action = forms.CharField(required=False)


class SpeakerEditForm(VersionForm):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Speaker.Kind.choices)
    role = forms.CharField(max_length=200, required=False)


class SpeakerMergeForm(VersionForm):
    source = forms.IntegerField(error_messages={"required": "Choose the speaker to merge into this one."})


class SpeakerSplitForm(VersionForm):
    name = forms.CharField(max_length=200, error_messages={"required": "Name the new speaker."})
    kind = forms.ChoiceField(choices=Speaker.Kind.choices)
    role = forms.CharField(max_length=200, required=False)
    aliases = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    quotes = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # membership is checked by the service; here only "whole numbers"
        for name in ("aliases", "quotes"):
            self.fields[name].valid_value = lambda value: str(value).isdigit()


class AliasForm(forms.Form):
    alias = forms.CharField(max_length=200)


def form_error_text(form: forms.Form) -> str:
    """All of a form's errors as one plain sentence list, for 400 bodies and messages."""
    parts = []
    for field, errors in form.errors.items():
        label = "" if field == "__all__" else f"{field}: "
        parts.extend(f"{label}{e}" for e in errors)
    return " ".join(parts) or "Invalid input."
