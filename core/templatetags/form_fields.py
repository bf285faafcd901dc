"""Form fields as Bootstrap 5 markup, the same as crispy forms' `|as_crispy_field` gives, for
pages whose forms are long: `{% load form_fields %}{% fields form.name form.email %}`; an argument
may also be a list of fields (`{% fields form.lead_fields %}`).

crispy forms renders each field through some ten nested templates and Django's widget templates;
a long public form paid most of its time there. Here Python works out what each field needs (its
attributes, value and choices, as data) and one template writes the markup. Text-like inputs,
check boxes, text areas and selects; a field with another widget is an error, so that it is
written with `|as_crispy_field` instead.
"""

from html import escape

from django import forms, template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

# The element each widget is written as, and the Bootstrap class crispy forms gives it.
_INPUT = ("input", "form-control")
_ELEMENTS = {
    forms.CheckboxInput: ("input", "form-check-input"),
    forms.Textarea: ("textarea", "form-control"),
    forms.Select: ("select", "form-select"),
    forms.TextInput: _INPUT,
    forms.EmailInput: _INPUT,
    forms.URLInput: _INPUT,
    forms.NumberInput: _INPUT,
    forms.PasswordInput: _INPUT,
}
_MULTIPLE = (forms.RadioSelect, forms.SelectMultiple)


def _element(widget) -> tuple[str, str]:
    if not isinstance(widget, _MULTIPLE):
        for kind in type(widget).__mro__:
            if kind in _ELEMENTS:
                return _ELEMENTS[kind]
    name = type(widget).__name__
    raise TypeError(f"{name} is not written by {{% fields %}}: use as_crispy_field.")


def _attributes(attrs: dict) -> SafeString:
    """The control's attributes as Django's `flatatt` writes them (True: the name alone; False
    or None: left out; anything else escaped), without its per-attribute `format_html`."""
    return SafeString(
        "".join(
            f" {name}" if value is True else f' {name}="{escape(str(value))}"'
            for name, value in attrs.items()
            if value is not False and value is not None
        )
    )


def _field(bound_field: BoundField) -> dict:
    """What the template needs to write one field: the label, the control, its errors and its
    help text, each tied to the control by id."""
    widget = bound_field.field.widget
    element, bootstrap = _element(widget)
    checkbox = isinstance(widget, forms.CheckboxInput)
    required = bound_field.field.required
    errors = bound_field.errors
    # crispy forms' class: the widget's own, its kind (`textinput`), Bootstrap's, and the error's.
    css = widget.attrs.get("class", "").split()
    for name in (type(widget).__name__.lower(), bootstrap, errors and "is-invalid"):
        if name and name not in css:
            css.append(name)
    attrs = bound_field.build_widget_attrs({"class": " ".join(css)}, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    control = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
    # The control's attributes in the order Django's widget templates write them.
    first = {"name": control["name"]}
    if element == "input":
        first = {"type": control["type"], **first}
        if control["value"] is not None:
            first["value"] = control["value"]
    wrapper = "form-check" if checkbox else "mb-3"
    label_class = "form-check-label" if checkbox else "form-label"
    return {
        "element": element,
        "attrs": _attributes({**first, **control["attrs"]}),
        "options": [option for _, group, _ in control.get("optgroups", ()) for option in group],
        "text": control["value"] if element == "textarea" else "",
        "checkbox": checkbox,
        "auto_id": bound_field.auto_id,
        "wrapper_class": " ".join(filter(None, (wrapper, bound_field.css_classes()))),
        "label_for": bound_field.id_for_label,
        "label_class": f"{label_class} requiredField" if required else label_class,
        "label": bound_field.label,
        "required": required,
        "errors": errors,
        "help_text": bound_field.help_text,
    }


@register.inclusion_tag("core/_fields.html")
def fields(*given):
    """The fields given, in order; each argument a field, a list of fields, or None (left out)."""
    found = []
    for item in given:
        if isinstance(item, BoundField):
            found.append(item)
        elif item:
            found.extend(item)
    return {"fields": [_field(f) for f in found]}
