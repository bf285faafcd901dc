"""Choosing one of many rows (a hub, a local authority) without a cost per option.

`Select` draws Django's select with one tag writing every option, where Django's own select
renders a template (and its attributes' template) for each: a list of the 150 local authorities
took milliseconds. `ModelNameChoiceField` reads its options as (key, name) pairs in one plain
query, building no model object per option; it cleans to the chosen row as ModelChoiceField does.
"""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.template.loader import render_to_string


class Select(forms.Select):
    """A select of one value, the same markup as Django's: `{% select_options %}` writes the
    options. Choices may be flat or grouped. Bootstrap's `form-select` unless told otherwise."""

    template_name = "core/widgets/select.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-select", **(attrs or {})}, choices)

    def get_context(self, name, value, attrs):
        # The widget's name, value (a list of strings) and attributes, without the dictionary
        # Django's select builds for each option.
        context = forms.Widget.get_context(self, name, value, attrs)
        context["widget"]["choices"] = self.choices
        return context

    def _render(self, template_name, context, renderer=None):
        # The portal's own templates: the form renderer only looks in Django's and the apps'.
        return render_to_string(template_name, context)


class NameChoiceIterator(ModelChoiceIterator):
    """The field's empty label, then (key, name) for each row of its queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        key = self.field.to_field_name or "pk"
        yield from self.queryset.values_list(key, self.field.label_field)


class ModelNameChoiceField(forms.ModelChoiceField):
    """A choice of one row, shown by the column `label_field` (its name)."""

    iterator = NameChoiceIterator
    widget = Select

    def __init__(self, queryset, *, label_field: str = "name", **kwargs):
        self.label_field = label_field
        super().__init__(queryset, **kwargs)
