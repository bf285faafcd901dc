from django import forms

from core.choices import Select

from .models import Notification, NotificationPreference


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["reminders", "digests"]


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Notification.Status.choices],
        required=False,
        widget=Select,
    )
    q = forms.CharField(
        label="Recipient or subject contains",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
