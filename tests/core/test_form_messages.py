"""Every form's messages name the field and say what to do; the summary links to each field."""

from django import forms

from core.forms import error_links, explain_errors


class VisitLike(forms.Form):
    visited_on = forms.DateField(label="Day of the visit")
    phase = forms.ChoiceField(choices=[("a", "A")])
    lessons_observed = forms.IntegerField(min_value=0, max_value=20)
    reason = forms.CharField(label="Why is the school withdrawing?")
    agree = forms.BooleanField(label="I agree")
    code = forms.CharField(max_length=3, error_messages={"required": "Type the code we sent."})


def test_generic_messages_name_the_field_and_say_what_to_do():
    form = VisitLike({"visited_on": "31/02/2026", "lessons_observed": "30", "code": ""})
    explain_errors(form)
    assert form.errors["visited_on"] == [
        "Enter the day of the visit as a real date, like 14/03/2026."
    ]
    assert form.errors["phase"] == ["Choose the phase."]
    assert form.errors["lessons_observed"] == ["The lessons observed must be 20 or less."]
    assert form.errors["reason"] == ["Answer “Why is the school withdrawing?”."]
    assert form.errors["agree"] == ["Tick “I agree” to go on."]
    # A message the form wrote itself is kept.
    assert form.errors["code"] == ["Type the code we sent."]
    # The class's own fields keep Django's messages: only this form's copies changed.
    assert VisitLike.base_fields["phase"].error_messages["required"] == "This field is required."


def test_the_summary_links_each_problem_to_its_field_in_the_forms_order():
    form = VisitLike({})
    explain_errors(form)
    form.is_valid()
    form.add_error(None, "The list closed yesterday.")
    links = error_links(form)
    assert links[0] == ("", "The list closed yesterday.")
    assert links[1] == ("id_visited_on", "Enter the day of the visit.")
    assert [field_id for field_id, _ in links[1:]] == [
        "id_visited_on",
        "id_phase",
        "id_lessons_observed",
        "id_reason",
        "id_agree",
        "id_code",
    ]
