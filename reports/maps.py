"""The map of a hub on its dashboard: where its open primary schools are, and how far each has
come on the pathway.

Drawn on the server as SVG from the register's grid references (British National Grid metres,
flat enough over a hub's area to draw as they are), scaled to the box around the hub's schools,
north at the top. Each school is one mark whose colour and shape both say its stage, so the map
reads without colour; the hosts of the year's running groups are ringed. The same schools are
counted by local authority in the coverage table beside it, which is the map's text alternative.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from schools.models import School
from workgroups.models import WorkGroup, Workshop
from workgroups.programme import Phase


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    colour: str


# Furthest first: a school is drawn at the furthest stage it has reached by the year shown.
# Colours from the Okabe–Ito palette (told apart with any colour vision); shapes differ too.
STAGES = [
    Stage("specialist", "Mastery Specialist school", "#000000"),
    Stage(Phase.SUSTAINING, "Sustaining", "#d55e00"),
    Stage(Phase.EMBEDDING, "Embedding", "#009e73"),
    Stage(Phase.DEVELOPMENT, "Development", "#0072b2"),
    Stage(Phase.READINESS, "Readiness", "#e69f00"),
    Stage("none", "Never taken part", "#ffffff"),
]
PHASE_STAGES = [Phase.SUSTAINING, Phase.EMBEDDING, Phase.DEVELOPMENT, Phase.READINESS]

# The drawing's size: the longer side of the hub's box fits this many units, with a margin.
SIZE = 600
MARGIN = 12


@dataclass
class LegendEntry:
    key: str
    label: str
    colour: str
    count: int = 0


@dataclass
class HubMap:
    width: int = 0
    height: int = 0
    # (x, y, stage key), drawn in this order: the furthest stages last, on top.
    dots: list = field(default_factory=list)
    # (x, y) of the schools hosting a running group's workshops.
    hosts: list = field(default_factory=list)
    legend: list = field(default_factory=list)
    schools: int = 0
    # Schools the register gives no grid reference: counted, not drawn.
    not_drawn: int = 0

    @property
    def drawn(self) -> int:
        return len(self.dots)


def _stage(start_year: int, specialist: bool, years: dict) -> str:
    if specialist:
        return "specialist"
    for phase in PHASE_STAGES:
        first = years.get(phase)
        if first is not None and first <= start_year:
            return phase
    return "none"


def hub_map(*, hub, start_year: int, area: Q) -> HubMap:
    """The hub's open primary schools (`area`: schools_in_hubs of the hub) placed on its map,
    each with its stage by `start_year`, the running groups' hosts marked (1 query)."""
    running = {
        "work_group__hub": hub,
        "work_group__academic_year__start_year": start_year,
        "work_group__status": WorkGroup.Status.RUNNING,
    }
    hosting = Exists(Workshop.objects.filter(host_school=OuterRef("pk"), **running)) | Exists(
        WorkGroup.objects.filter(
            lead__school=OuterRef("pk"),
            **{k.removeprefix("work_group__"): v for k, v in running.items()},
        )
    )
    rows = (
        School.objects.filter(area)
        .primary()
        .open()
        .annotate(hosting=hosting)
        .order_by("urn")
        .values_list(
            "easting",
            "northing",
            "is_mastery_specialist_school",
            "hosting",
            *(f"pathway_years__{phase}" for phase in PHASE_STAGES),
        )
    )
    legend = {stage.key: LegendEntry(stage.key, stage.label, stage.colour) for stage in STAGES}
    placed = []
    result = HubMap()
    for easting, northing, specialist, host, *firsts in rows:
        result.schools += 1
        stage = _stage(start_year, specialist, dict(zip(PHASE_STAGES, firsts, strict=True)))
        legend[stage].count += 1
        if easting is None or northing is None:
            result.not_drawn += 1
            continue
        placed.append((easting, northing, stage, host))
    result.legend = [legend[stage.key] for stage in STAGES]
    if not placed:
        return result
    west, east = min(p[0] for p in placed), max(p[0] for p in placed)
    south, north = min(p[1] for p in placed), max(p[1] for p in placed)
    # One unit per so many metres, the same across and up (a map, not a chart); a hub of one
    # school still has a box to sit in.
    scale = (SIZE - 2 * MARGIN) / max(east - west, north - south, 1000)
    result.width = round((east - west) * scale) + 2 * MARGIN
    result.height = round((north - south) * scale) + 2 * MARGIN
    order = {stage.key: n for n, stage in enumerate(reversed(STAGES))}
    for easting, northing, stage, host in sorted(placed, key=lambda p: order[p[2]]):
        x = MARGIN + round((easting - west) * scale)
        y = MARGIN + round((north - northing) * scale)
        result.dots.append((x, y, stage))
        if host:
            result.hosts.append((x, y))
    return result
