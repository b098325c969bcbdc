"""The phase steps of an episode, each a POST from the episode page: ready for coding, back to the doctor,
coding with admission (bed) or outpatient, a first bed, a transfer, discharge and cancellation.

On success the page reloads with a message; a refusal shows the page again with the reason on the step's
form, nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from hayat.clinical import selectors, services
from hayat.clinical.forms import BedForm, DischargeForm, ReasonForm
from hayat.clinical.models import Episode
from hayat.clinical.views import get_episode, render_page, require_post
from hayat.core.errors import DomainError
from hayat.core.forms import add_domain_error
from hayat.core.policy import require_capability


def run_step(request, episode: Episode, form: forms.Form, form_name: str, step: Callable[[], object],
             message: str):
    """Runs one step when the form is valid: success → the page with a message; refusal → the page with
    the reason on that form."""
    if form.is_valid():
        try:
            step()
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, message)
            return redirect(episode)
    return render_page(request, get_episode(episode.pk), {form_name: form, "step_form": form})


def bed_form(request, episode: Episode) -> BedForm:
    return BedForm(request.POST, beds=selectors.free_hospital_beds(department=episode.department))


@require_post
@require_capability("episodes.document")
def send_to_coding(request, pk):
    episode = get_episode(pk)
    form = forms.Form(request.POST)
    return run_step(request, episode, form, "ready_form",
                    lambda: services.send_to_coding(by=request.user, episode=episode),
                    _("Case %(case)s is ready for coding.") % {"case": episode.case_number})


@require_post
@require_capability("episodes.code")
def return_to_doctor(request, pk):
    episode = get_episode(pk)
    form = ReasonForm(request.POST, prefix="return")
    return run_step(request, episode, form, "return_form",
                    lambda: services.return_to_doctor(by=request.user, episode=episode,
                                                      reason=form.cleaned_data["reason"]),
                    _("Case %(case)s went back to the doctor.") % {"case": episode.case_number})


@require_post
@require_capability("episodes.code")
def complete_coding(request, pk):
    episode = get_episode(pk)
    form = bed_form(request, episode)
    return run_step(request, episode, form, "bed_form",
                    lambda: services.complete_coding(by=request.user, episode=episode, bed=form.cleaned_data["bed"],
                                                     note=form.cleaned_data["note"]),
                    _("Case %(case)s is coded.") % {"case": episode.case_number})


@require_post
@require_capability("episodes.assign_bed")
def assign_bed(request, pk):
    episode = get_episode(pk)
    form = bed_form(request, episode)
    return run_step(request, episode, form, "bed_form", lambda: services.assign_bed(
        by=request.user, episode=episode, bed=required_bed(form), note=form.cleaned_data["note"]),
        _("Bed assigned."))


@require_post
@require_capability("episodes.transfer")
def transfer(request, pk):
    episode = get_episode(pk)
    form = bed_form(request, episode)
    return run_step(request, episode, form, "bed_form", lambda: services.transfer(
        by=request.user, episode=episode, bed=required_bed(form), reason=form.cleaned_data["note"]),
        _("Transferred."))


def required_bed(form: BedForm):
    bed = form.cleaned_data["bed"]
    if bed is None:
        raise DomainError(_("Choose a free bed."), field="bed")
    return bed


@require_post
@require_capability("episodes.discharge")
def discharge(request, pk):
    episode = get_episode(pk)
    form = DischargeForm(request.POST)
    return run_step(request, episode, form, "discharge_form", lambda: services.discharge(
        by=request.user, episode=episode, disposition=form.cleaned_data["disposition"],
        result=form.cleaned_data["result"], discharged_at=form.cleaned_data["discharged_at"],
        note=form.cleaned_data["note"]),
        _("Case %(case)s is discharged.") % {"case": episode.case_number})


@require_post
@require_capability("episodes.cancel")
def cancel(request, pk):
    episode = get_episode(pk)
    form = ReasonForm(request.POST, prefix="cancel")
    return run_step(request, episode, form, "cancel_form",
                    lambda: services.cancel_episode(by=request.user, episode=episode,
                                                    reason=form.cleaned_data["reason"]),
                    _("Case %(case)s is cancelled.") % {"case": episode.case_number})
