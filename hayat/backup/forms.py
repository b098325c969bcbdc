from django import forms
from django.utils.translation import gettext_lazy as _

from hayat.backup.models import KEEP_DAILY_AT_MOST, KEEP_WEEKLY_AT_MOST
from hayat.core.forms import StyledForm


class BackupForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Why (kept with the backup)"), required=False, max_length=500)


class RestoreForm(StyledForm, forms.Form):
    confirmation = forms.CharField(label=_("Type the archive's name to confirm"), max_length=200,
                                   widget=forms.TextInput(attrs={"autocomplete": "off"}))


class ScheduleForm(StyledForm, forms.Form):
    time = forms.TimeField(label=_("Time of day"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                           help_text=_("Hospital time after which the day's backup is made."))
    keep_daily = forms.IntegerField(label=_("Daily backups kept"), min_value=1, max_value=KEEP_DAILY_AT_MOST,
                                    help_text=_("The newest scheduled backups kept, one per day."))
    keep_weekly = forms.IntegerField(label=_("Weekly backups kept"), min_value=0, max_value=KEEP_WEEKLY_AT_MOST,
                                     help_text=_("Before those, one backup a week is kept for this many weeks."))
