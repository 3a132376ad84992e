import codecs

from django import forms
from django.conf import settings

from .readers import SPLITS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, (list, tuple)) else [data]
        return [single(f, initial) for f in files if f] or [single(None, initial)]


class ReadOptionsForm(forms.Form):
    """How files are read (the fields of ``readers.ReadOptions``): on the upload page and on a preview."""

    split = forms.ChoiceField(
        label="Plain text: articles split at", choices=list(SPLITS.items()), initial="auto", required=False
    )
    period_headlines = forms.BooleanField(label="Headlines end with a period", required=False)
    outlet_pattern = forms.CharField(
        label="Outlet from the file name",
        required=False,
        max_length=200,
        help_text="{outlet} marks the outlet, * any text: {outlet}_*.txt reads Xinhua_2025-05.txt as Xinhua.",
        widget=forms.TextInput(attrs={"placeholder": "{outlet}_*.txt"}),
    )
    encoding = forms.CharField(
        label="Encoding",
        required=False,
        max_length=40,
        initial="auto",
        help_text="auto detects UTF-8, Windows-1252 and other legacy encodings; or name one (cp1251, latin-1).",
    )

    def clean_split(self) -> str:
        return self.cleaned_data["split"] or "auto"

    def clean_outlet_pattern(self) -> str:
        pattern = self.cleaned_data["outlet_pattern"].strip()
        if pattern and "{outlet}" not in pattern:
            raise forms.ValidationError("Put {outlet} where the outlet's name is in the file name.", code="no_outlet")
        return pattern

    def clean_encoding(self) -> str:
        value = self.cleaned_data["encoding"].strip().lower() or "auto"
        if value != "auto":
            try:
                codecs.lookup(value)
            except LookupError:
                raise forms.ValidationError(f"Unknown encoding '{value}'.", code="unknown_encoding") from None
        return value

    def read_options(self) -> dict:
        """The ReadOptions fields, as the batch stores them."""
        return {key: self.cleaned_data[key] for key in ("split", "period_headlines", "outlet_pattern", "encoding")}


class UploadForm(ReadOptionsForm):
    # An empty file is not a form error: the import reports it by name and the other files still import.
    files = MultipleFileField(
        widget=MultipleFileInput(attrs={"accept": ".txt,.jsonl,.ndjson,.csv,.html,.htm"}), allow_empty_file=True
    )
    fmt = forms.ChoiceField(
        label="Format",
        choices=[
            ("auto", "Detect from file"),
            ("txt", "Plain text"),
            ("jsonl", "JSONL"),
            ("csv", "CSV"),
            ("html", "HTML"),
        ],
        initial="auto",
    )
    default_outlet = forms.CharField(label="Outlet (when the file names none)", required=False, max_length=200)

    def clean_files(self):
        files = self.cleaned_data["files"]
        for upload in files:
            if upload.size > settings.IMPORT_MAX_BYTES:
                raise forms.ValidationError(
                    f"{upload.name} is larger than {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB.", code="too_large"
                )
        return files
