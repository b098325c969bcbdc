"""Template pieces of the episode pages: a field of the record shown as text."""

from django import template

register = template.Library()


@register.simple_tag
def record_value(episode, name: str) -> str:
    """The episode's value of a record field as the reader sees it (choice labels, the physician's name)."""
    if name == "attending_physician":
        doctor = episode.attending_physician
        return f"{doctor.full_name} · {doctor.department}" if doctor and doctor.department_id else (
            doctor.full_name if doctor else "")
    display = getattr(episode, f"get_{name}_display", None)
    return str(display()) if display else getattr(episode, name)
