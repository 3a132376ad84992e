from django import forms

from .models import Theme

# Keys the workspace picker keeps for itself.
RESERVED_SHORTCUTS = {"q"}


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description", "include_rules", "exclude_rules", "colour", "shortcut", "parent"]
        labels = {"description": "Definition"}
        widgets = {
            "include_rules": forms.Textarea(attrs={"rows": 3}),
            "exclude_rules": forms.Textarea(attrs={"rows": 3}),
            "colour": forms.TextInput(attrs={"type": "color"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "shortcut": forms.TextInput(attrs={"maxlength": 1, "size": 2}),
        }
        help_texts = {"shortcut": "One letter or digit pressed in the workspace picker (q is kept for quotes)."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Theme.objects.all()
        if self.instance.pk:
            # a theme cannot be its own ancestor
            banned = {self.instance.pk}
            frontier = [self.instance.pk]
            while frontier:
                frontier = list(Theme.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
                banned.update(frontier)
            parents = parents.exclude(pk__in=banned)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = False

    def clean_shortcut(self):
        key = (self.cleaned_data.get("shortcut") or "").strip().lower()
        if not key:
            return ""
        if len(key) != 1 or not key.isalnum():
            raise forms.ValidationError("A shortcut is one letter or digit.", code="shortcut_format")
        if key in RESERVED_SHORTCUTS:
            raise forms.ValidationError(f"“{key}” is kept for “Mark as quote”.", code="shortcut_reserved")
        clash = Theme.objects.filter(active=True, shortcut=key).exclude(pk=self.instance.pk).first()
        if clash and (self.instance.pk is None or self.instance.active):
            raise forms.ValidationError(f"“{key}” is already the shortcut of {clash.name}.", code="shortcut_taken")
        return key

    def clean_colour(self):
        return (self.cleaned_data.get("colour") or "").lower()
