from django import template

register = template.Library()


@register.filter
def tr(obj: object, field: str) -> str:
    """``{{ practice|tr:"name" }}``: a playbook field in the active language."""
    return obj.tr(field)  # type: ignore[attr-defined]
