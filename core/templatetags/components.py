"""Pieces of markup every app's pages share, each written once: `{% load components %}`.

    {% breadcrumbs "Expressions of interest" list_url here=eoi.reference %}
    {% error_summary form|error_links %}
    {% year_choice years year prefix="cohort" hubs=hubs hub=hub %}
    {% badge "text-bg-warning" "Withdrawn" %}
    <thead><tr>{% column_headings "School" "URN" "Postcode" %}</tr></thead>
    {% scroll_region "Work groups" %}<table>…</table>{% endscroll_region %}

The list of pages of a list is a plain include: `templates/core/_pagination.html`.
"""

import html

from django import forms, template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core import forms as core_forms
from core.formatting import academic_year_name

register = template.Library()


@register.simple_tag
def badge(css_class: str, label) -> str:
    """A status shown as a coloured label. Each app's status tags choose the colour (a class
    whose colours pass WCAG AA) and call this: `{% status_badge visit.status label %}`."""
    return format_html('<span class="badge {}">{}</span>', css_class, label)


@register.simple_tag
def column_headings(*headings) -> str:
    """A table's column headings, each a `<th scope="col">`: `{% column_headings "School" "URN" %}`.
    A column only some people see gets its own tag inside an `{% if %}`."""
    return format_html_join("", '<th scope="col">{}</th>', ((heading,) for heading in headings))


@register.tag
def scroll_region(parser, token):
    """A table in its own scroll area, so that on a phone the page never scrolls sideways:
    `{% scroll_region "Work groups" %}<table>…</table>{% endscroll_region %}`. The label (any
    template expression) names the area for a screen reader; a keyboard can reach and scroll it."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("scroll_region takes one argument: its label.")
    nodelist = parser.parse(("endscroll_region",))
    parser.delete_first_token()
    return ScrollRegionNode(parser.compile_filter(bits[1]), nodelist)


class ScrollRegionNode(template.Node):
    def __init__(self, label, nodelist):
        self.label, self.nodelist = label, nodelist

    def render(self, context):
        content = mark_safe(self.nodelist.render(context))
        label = self.label.resolve(context)
        return render_to_string("core/_scroll_region.html", {"label": label, "content": content})


@register.inclusion_tag("core/_breadcrumbs.html")
def breadcrumbs(*trail, here):
    """The way back to this page: label, address, label, address… then the page itself.

    A label may be an object (it is shown as text); a step without a label is left out, so a
    step that only some pages have can be passed as empty.
    """
    steps = [(label, url) for label, url in zip(trail[::2], trail[1::2], strict=True) if label]
    return {"trail": steps, "here": here}


@register.inclusion_tag("core/_error_summary.html")
def error_summary(problems=None, *, title="There is a problem", field="", link_to="", message=""):
    """The problems with what was sent, at the top of the page, each linked to its field.

    `problems` is a list of messages or of (field id, message) pairs, or one message (with the
    id of its `field`); `link_to` is the page the fields are on, when it is another page.
    `message` is one reason that belongs to no field, shown as a sentence.
    """
    if isinstance(problems, str):
        problems = [(field, problems)]
    items = [
        tuple(problem) if isinstance(problem, list | tuple) else ("", problem)
        for problem in problems or []
    ]
    return {"title": title, "items": items, "link_to": link_to, "message": message}


@register.filter
def error_links(form) -> list[tuple[str, str]]:
    """A form's problems for `error_summary`: (field id, message), in the order of its fields."""
    return core_forms.error_links(form)


@register.filter
def filter_control(field):
    """A list filter's control drawn with Bootstrap's classes (a select as form-select). Django
    marks a field with errors aria-invalid and describes it by `<id>_error`: the filter form
    shows its errors under that id (core/_filter_form.html), so the mark always has its words."""
    select = isinstance(field.field.widget, forms.Select)
    css = "form-select" if select else "form-control"
    return field.as_widget(attrs={"class": f"{css} is-invalid" if field.errors else css})


def _year_option(item) -> tuple[str, str]:
    """A year to choose, whether given as (value, label), as an academic year or as its start."""
    if isinstance(item, list | tuple):
        value, label = item
        return str(value), str(label)
    start_year = getattr(item, "start_year", item)
    return str(start_year), academic_year_name(int(start_year))


@register.inclusion_tag("core/_year_choice.html")
def year_choice(years, selected, *, prefix, hubs=None, hub=None):
    """The small form above a page of a year's records: the academic year and, for people who
    see more than one hub, the hub. `prefix` starts its fields' ids (`cohort` → `cohort-year`).
    """
    options = [(value, label, value == str(selected)) for value, label in map(_year_option, years)]
    return {"years": options, "prefix": prefix, "hubs": hubs or [], "hub": hub}


@register.simple_tag
def select_options(choices, values) -> str:
    """A select's options, written in one pass (see core.choices.Select): `choices` are
    (value, label) pairs, or (group name, pairs) for a group; `values` the select's value as a
    list of strings. The first option among them is selected, as in Django's select.

    Each value and label is escaped here as the template would (`format_html` per option cost
    a millisecond for the 150 local authorities)."""
    selected = []

    def option(value, label) -> str:
        value = "" if value is None else str(value)
        chosen = not selected and value in values
        if chosen:
            selected.append(value)
        marked = " selected" if chosen else ""
        return f'<option value="{_escaped(value)}"{marked}>{_escaped(label)}</option>'

    def options(pairs) -> str:
        return "".join(
            f'<optgroup label="{_escaped(value)}">{options(label)}</optgroup>'
            if isinstance(label, list | tuple)
            else option(value, label)
            for value, label in pairs
        )

    return mark_safe(options(choices))


def _escaped(text) -> str:
    """What `conditional_escape` gives, without its check for lazy strings on every call."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))
