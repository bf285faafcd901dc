from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from workgroups.admin import HalfTermFormSet
from workgroups.models import AcademicYear, HalfTerm
from workgroups.programme import PHASES, Phase, Term
from workgroups.services import academic_year_get_or_create

pytestmark = pytest.mark.django_db


def test_phases_come_in_pathway_order():
    assert [p.label for p in Phase] == ["Readiness", "Development", "Embedding", "Sustaining"]
    assert [PHASES[p].order for p in Phase] == [0, 1, 2, 3]


def test_each_phase_carries_the_programme_facts():
    development, sustaining = PHASES[Phase.DEVELOPMENT], PHASES[Phase.SUSTAINING]
    assert development.lead_participants_per_school == 2
    assert development.workshops_per_year == 6
    assert development.termly_support_visits is True
    assert development.grant == Decimal("1000")
    assert development.release_days == 10
    assert sustaining.lead_participants_per_school == 1
    assert sustaining.termly_support_visits is False
    assert sustaining.grant == 0
    assert PHASES[Phase.READINESS].led_by_readiness_lead
    assert all(PHASES[p].workshops_per_year == 6 for p in Phase)


def test_an_academic_year_runs_september_to_august_with_six_half_terms_in_order():
    year = academic_year_get_or_create(start_year=2025)
    assert year.name == "2025/26"
    assert (year.starts_on, year.ends_on) == (date(2025, 9, 1), date(2026, 8, 31))
    half_terms = list(year.half_terms.order_by("number"))
    assert [h.number for h in half_terms] == [1, 2, 3, 4, 5, 6]
    for before, after in zip(half_terms, half_terms[1:], strict=False):
        assert before.ends_on < after.starts_on
    assert half_terms[0].starts_on >= year.starts_on and half_terms[-1].ends_on <= year.ends_on
    assert [h.term for h in half_terms] == [Term.AUTUMN] * 2 + [Term.SPRING] * 2 + [Term.SUMMER] * 2
    assert academic_year_get_or_create(start_year=2025) == year
    assert HalfTerm.objects.filter(academic_year=year).count() == 6


def test_terms_follow_the_half_terms_staff_adjust():
    year = academic_year_get_or_create(start_year=2026)
    year.half_terms.filter(number=2).update(ends_on=date(2026, 12, 16))
    year = AcademicYear.objects.prefetch_related("half_terms").get(pk=year.pk)
    assert year.term_dates()[Term.AUTUMN] == (date(2026, 9, 1), date(2026, 12, 16))


def test_a_half_term_outside_its_year_is_refused():
    year = academic_year_get_or_create(start_year=2026)
    half_term = year.half_terms.get(number=6)
    half_term.ends_on = date(2027, 9, 10)
    with pytest.raises(ValidationError, match="must fall within 2026/27"):
        half_term.full_clean()


@pytest.mark.parametrize(
    ("day", "start_year"),
    [(date(2026, 8, 31), 2025), (date(2026, 9, 1), 2026), (date(2027, 3, 1), 2026)],
)
def test_a_day_belongs_to_the_year_starting_the_september_before(day, start_year):
    assert AcademicYear.start_year_for(day) == start_year


def test_staff_adjust_half_terms_in_order_in_the_admin():
    year = academic_year_get_or_create(start_year=2026)
    FormSet = inlineformset_factory(
        AcademicYear, HalfTerm, formset=HalfTermFormSet, fields=["number", "starts_on", "ends_on"]
    )
    rows = list(year.half_terms.order_by("number"))
    data = {
        "half_terms-TOTAL_FORMS": "6",
        "half_terms-INITIAL_FORMS": "6",
        "half_terms-MIN_NUM_FORMS": "0",
        "half_terms-MAX_NUM_FORMS": "6",
    }
    for index, row in enumerate(rows):
        data |= {
            f"half_terms-{index}-id": row.pk,
            f"half_terms-{index}-academic_year": year.pk,
            f"half_terms-{index}-number": row.number,
            f"half_terms-{index}-starts_on": row.starts_on.isoformat(),
            f"half_terms-{index}-ends_on": row.ends_on.isoformat(),
        }
    data["half_terms-1-ends_on"] = "2026-12-16"
    assert FormSet(data, instance=year).is_valid()
    data["half_terms-2-starts_on"] = "2026-12-10"
    formset = FormSet(data, instance=year)
    assert not formset.is_valid()
    assert "Half-term 3 must start after half-term 2 ends." in formset.non_form_errors()
