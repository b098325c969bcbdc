"""Template pieces of the laboratory that other apps' pages include (the "Lab results" button)."""

from django import template

from hayat.lab.models import LabResult

register = template.Library()


@register.simple_tag
def lab_result_count(booking, episode) -> int:
    """{% lab_result_count booking episode as count %}: how many results are linked to the one given."""
    if booking:
        return LabResult.objects.filter(booking=booking).count()
    return LabResult.objects.filter(episode=episode).count() if episode else 0
