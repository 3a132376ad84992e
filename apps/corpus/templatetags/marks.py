from django import template

register = template.Library()


@register.filter
def mark_classes(segment) -> str:
    """CSS classes for a text segment: one per layer (and entity label) covering it."""
    classes = []
    for mark in segment.marks:
        classes.append(f"m-{mark.layer}")
        if mark.layer == "ent":
            classes.append(f"ent-{mark.label}")
    return " ".join(dict.fromkeys(classes))


@register.filter
def mark_keys(segment) -> str:
    return " ".join(m.key for m in segment.marks)


@register.filter
def mark_titles(segment) -> str:
    return "; ".join(f"{m.layer}: {m.label}" for m in segment.marks if m.label)
