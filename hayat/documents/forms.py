from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hayat.core.uploads import clean_image
from hayat.documents.models import Letterhead

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 800


class LetterheadForm(forms.ModelForm):
    logo = forms.FileField(label=_("logo"), required=False,
                           help_text=_("A JPEG, PNG, WebP or GIF picture of at most 2 MB."))
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Letterhead
        fields = ["name_en", "name_ru", "name_uz", "address", "phone", "email", "tax_id", "footer", "signature_lines",
                  "house_rules", "meal_times", "tax_name", "tax_rate"]
        widgets = {"signature_lines": forms.Textarea(attrs={"rows": 3}),
                   "house_rules": forms.Textarea(attrs={"rows": 5}), "meal_times": forms.Textarea(attrs={"rows": 4})}

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return clean_image(upload, max_bytes=LOGO_MAX_BYTES, max_side=LOGO_MAX_SIDE) if upload else None


class PatientLanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Documents in"), required=False,
                                 choices=[("", _("the reader's language")), *settings.LANGUAGES])
