from django import forms
from django.conf import settings


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, (list, tuple)) else [data]
        return [single(f, initial) for f in files if f] or [single(None, initial)]


class UploadForm(forms.Form):
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
