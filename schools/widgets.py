"""A form widget for choosing a school: type a name, URN or postcode, pick from the list.

Renders the combobox in templates/schools/_school_autocomplete.html. The text box asks the
autocomplete endpoint (htmx) for options; static/js/school-autocomplete.js handles the keys and
puts the chosen URN in the hidden input the form reads. Without JavaScript the text box takes a
URN directly.
"""

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe


class SchoolAutocompleteWidget(forms.Widget):
    template_name = "schools/_school_autocomplete.html"

    def __init__(self, attrs=None, *, url_name: str = "schools:school-autocomplete"):
        super().__init__(attrs)
        self.url_name = url_name

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        input_id = widget["attrs"].get("id") or f"id_{name}"
        value = "" if value is None else str(getattr(value, "urn", value))
        widget.update(
            {
                "mode": "fill",
                "input_id": input_id,
                "query_name": f"{name}_query",
                "query_value": value,
                "value": value,
                "url": reverse(self.url_name),
                "describedby": widget["attrs"].get("aria-describedby", ""),
            }
        )
        return context

    def _render(self, template_name, context, renderer=None):
        # The project's template engine, not the form renderer's: the template lives with the
        # other schools templates and the search page includes it too.
        return mark_safe(render_to_string(template_name, context))

    def value_from_datadict(self, data, files, name):
        # The hidden input carries the chosen URN; without JavaScript the text box holds it.
        return data.get(name) or (data.get(f"{name}_query") or "").strip() or None
