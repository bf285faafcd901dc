"""The shared pieces of markup: what each draws, and that it stays accessible."""

from types import SimpleNamespace

from django import forms
from django.core.paginator import Paginator
from django.template import engines
from django.template.loader import render_to_string

from workgroups.models import AcademicYear


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load components %}" + source).render(context)


def squeeze(html: str) -> str:
    return " ".join(html.split())


def pagination(number: int, **context) -> str:
    page = Paginator(list(range(45)), 20).page(number)
    return squeeze(render_to_string("core/_pagination.html", {"page": page, **context}))


def test_pagination_links_keep_the_filters_and_mark_the_page_shown():
    html = pagination(2, query="status=failed&hub=3", label="Pages of the outbox")
    assert '<nav aria-label="Pages of the outbox">' in html
    assert 'href="?status=failed&amp;hub=3&amp;page=1" rel="prev">Previous</a>' in html
    assert 'href="?status=failed&amp;hub=3&amp;page=3" rel="next">Next</a>' in html
    assert '<li class="page-item active" aria-current="page">' in html
    assert "Page 2 of 3" in html


def test_pagination_without_filters_and_with_its_own_words():
    html = pagination(1, previous="Newer changes", next="Older changes")
    assert '<nav aria-label="Pages of the list">' in html
    assert 'href="?page=2" rel="next">Older changes</a>' in html
    assert "Newer changes" not in html  # no page before the first


def test_a_list_of_one_page_has_no_page_links():
    page = Paginator([1, 2], 20).page(1)
    assert render_to_string("core/_pagination.html", {"page": page}).strip() == ""


def test_breadcrumbs_lead_back_and_mark_the_page_itself():
    tag = '{% breadcrumbs "Work groups" "/catalogue/" hub "/hub/" here="Express an interest" %}'
    html = squeeze(render(tag, hub="Abacus Maths Hub"))
    assert '<nav aria-label="Breadcrumb" class="no-print">' in html
    assert '<li class="breadcrumb-item"><a href="/catalogue/">Work groups</a></li>' in html
    assert '<a href="/hub/">Abacus Maths Hub</a>' in html
    assert '<li class="breadcrumb-item active" aria-current="page">Express an interest</li>' in html


def test_a_breadcrumb_without_a_label_is_left_out():
    html = render('{% breadcrumbs "Work groups" "/catalogue/" "" "" here="Oak" %}')
    assert html.count("breadcrumb-item") == 2


def test_the_error_summary_links_each_problem_to_its_field():
    html = squeeze(
        render(
            '{% error_summary problems link_to="/form/" %}',
            problems=[("", "Something is wrong."), ("id_email", "Enter an e-mail address.")],
        )
    )
    assert 'role="alert" aria-labelledby="error-summary-title"' in html
    assert 'id="error-summary" data-error-summary' in html
    assert '<h2 id="error-summary-title" class="h4">There is a problem</h2>' in html
    assert "<li>Something is wrong.</li>" in html
    assert '<li><a href="/form/#id_email">Enter an e-mail address.</a></li>' in html


def test_the_error_summary_takes_one_message_with_its_field_or_a_sentence():
    linked = render('{% error_summary error field="phase-readiness" %}', error="Choose a phase.")
    assert '<a href="#phase-readiness">Choose a phase.</a>' in linked
    sentence = squeeze(
        render('{% error_summary title="Not sent" message=reason %}', reason="Closed.")
    )
    assert '<h2 id="error-summary-title" class="h4">Not sent</h2> <p class="mb-0">Closed.</p>' in (
        sentence
    )
    assert "<ul" not in sentence


def test_no_problems_no_summary():
    assert render("{% error_summary problems %}", problems=[]).strip() == ""


def test_the_year_choice_takes_years_in_any_of_their_shapes_and_marks_the_chosen_one():
    for years in ([(2024, "2024/25"), (2025, "2025/26")], [2024, 2025]):
        html = render('{% year_choice years 2025 prefix="plan" %}', years=years)
        assert '<option value="2025" selected>2025/26</option>' in html
        assert '<option value="2024">2024/25</option>' in html
    years = [AcademicYear(start_year=2024), AcademicYear(start_year=2025)]
    html = render('{% year_choice years "2024" prefix="plan" %}', years=years)
    assert '<option value="2024" selected>2024/25</option>' in html
    assert '<label for="plan-year" class="form-label">Academic year</label>' in html
    assert 'aria-label="Choose the year"' in html


def test_the_year_choice_offers_the_hubs_to_people_who_see_more_than_one():
    oak = SimpleNamespace(pk=1, slug="oak", name="Oak Hub")
    elm = SimpleNamespace(pk=2, slug="elm", name="Elm Hub")
    many = render(
        '{% year_choice years 2025 prefix="report" hubs=hubs hub=hub %}',
        years=[2025],
        hubs=[oak, elm],
        hub=elm,
    )
    assert '<select id="report-hub" name="hub" class="form-select">' in many
    assert '<option value="elm" selected>Elm Hub</option>' in many
    assert 'aria-label="Choose the hub and year"' in many
    one = render(
        '{% year_choice years 2025 prefix="report" hubs=hubs hub=hub %}',
        years=[2025],
        hubs=[oak],
        hub=oak,
    )
    assert '<input type="hidden" name="hub" value="oak">' in one
    assert "report-hub" not in one


def test_column_headings_are_column_headers_and_escaped():
    html = render('{% column_headings "School" heading %}', heading="<b>URN</b>")
    assert html == '<th scope="col">School</th><th scope="col">&lt;b&gt;URN&lt;/b&gt;</th>'


def test_a_badge_escapes_its_words():
    html = render('{% badge "text-bg-info" label %}', label="<script>")
    assert html == '<span class="badge text-bg-info">&lt;script&gt;</span>'


def test_the_apps_status_badges_have_their_colours():
    html = engines["django"].from_string(
        '{% load workgroups_tags actionplans %}{% status_badge "overdue" "Overdue" %} '
        '{% plan_badge "at_risk" %}'
    )
    assert html.render({}) == (
        '<span class="badge text-bg-danger">Overdue</span> '
        '<span class="badge text-bg-warning">At risk</span>'
    )


def test_a_scroll_region_is_labelled_and_reachable_by_keyboard():
    html = render("{% scroll_region label %}<table></table>{% endscroll_region %}", label="A & B")
    assert squeeze(html) == (
        '<div class="table-scroll" role="region" aria-label="A &amp; B" tabindex="0">'
        "<table></table></div>"
    )


def test_a_filter_control_is_a_bootstrap_control_and_marked_invalid_only_with_its_message():
    class Filters(forms.Form):
        year = forms.ChoiceField(choices=[("", "Any"), ("2026", "2026/27")], required=False)
        name = forms.CharField(required=False)

    shown = Filters({"year": "1999"})
    shown.is_valid()
    html = render_to_string("core/_filter_form.html", {"form": shown, "label": "Filter"})
    assert 'class="form-select is-invalid"' in html
    assert 'aria-invalid="true" aria-describedby="id_year_error"' in html
    assert '<div id="id_year_error" class="invalid-feedback d-block">' in html
    assert 'class="form-control"' in html
