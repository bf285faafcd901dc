"""`{% fields %}` writes the same fields as crispy forms' `|as_crispy_field`, only faster."""

import pytest
from django import forms
from django.db.models import OuterRef
from django.template import engines
from django.test.html import parse_html

from core.queries import SubqueryCount
from tests.factories import ParticipationFactory, WorkGroupFactory
from workgroups.models import Participation, WorkGroup


class Sample(forms.Form):
    name = forms.CharField(
        label="Your name", max_length=20, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(label="E-mail", help_text="We write to it.")
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Why?"
    )
    group = forms.ChoiceField(
        label="Group", choices=[("", "Any"), ("1", "One & only"), ("2", "Two")], required=False
    )
    agree = forms.BooleanField(label="I agree")
    hidden_box = forms.CharField(
        label="Leave empty", required=False, widget=forms.TextInput(attrs={"tabindex": "-1"})
    )


def both(make_form) -> tuple:
    """The fields of a form written by crispy forms and by `{% fields %}` (each its own form:
    crispy forms leaves its classes on the widgets)."""
    names = list(make_form().fields)
    crispy = "{% load crispy_forms_tags %}" + "".join(
        f"{{{{ form.{name}|as_crispy_field }}}}" for name in names
    )
    ours = "{% load form_fields %}{% fields " + " ".join(f"form.{n}" for n in names) + " %}"
    return tuple(
        parse_html(engines["django"].from_string(source).render({"form": make_form()}))
        for source in (crispy, ours)
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"name": "x" * 30, "email": "bad", "note": "<b>a</b>", "group": "2", "agree": "on"},
        {"name": "Ann", "email": "a@b.org", "group": "9", "hidden_box": 'say "hi"'},
    ],
    ids=["blank", "all missing", "errors and values", "bad choice"],
)
def test_fields_are_written_as_crispy_forms_writes_them(data):
    crispy, ours = both(lambda: Sample(data, initial={"group": "1"} if data is None else None))
    assert ours == crispy


def test_a_widget_it_does_not_write_is_refused():
    class Radios(forms.Form):
        choice = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)

    with pytest.raises(TypeError):
        engines["django"].from_string("{% load form_fields %}{% fields form.choice %}").render(
            {"form": Radios()}
        )


@pytest.mark.django_db
def test_subquery_count_counts_each_rows_own_related_rows():
    empty, busy = WorkGroupFactory(), WorkGroupFactory()
    ParticipationFactory.create_batch(2, work_group=busy)
    withdrawn = ParticipationFactory(work_group=busy)
    Participation.objects.filter(pk=withdrawn.pk).update(status=Participation.Status.WITHDRAWN)
    taking_part = Participation.objects.filter(work_group=OuterRef("pk")).exclude(
        status=Participation.Status.WITHDRAWN
    )
    counts = WorkGroup.objects.annotate(taken=SubqueryCount(taking_part)).values_list("pk", "taken")
    assert dict(counts) == {empty.pk: 0, busy.pk: 2}
