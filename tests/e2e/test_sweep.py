"""The sweep: every page each signed-in role reaches from its navigation, crawled (not listed by
hand), at a phone's 320 px, fits without sideways scrolling and passes axe-core; so do the forms
on those pages sent empty. Bounded: each role's nav pages, then one level of links from them, one
page per URL name; each empty form once."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 640}
# Pages beyond the navigation's, per role, and empty forms sent, per role: the sweep's bounds.
MAX_LINKED_PAGES = 60
MAX_FORMS = 20
# Not crawled: Django's admin (not ours), files (exports, calendars, print views save a file).
SKIPPED_PREFIXES = ("/admin/", "/account/logout/", "/static/", "/media/")
SKIPPED_NAME_WORDS = ("export", "calendar", "feed", "download", "csv", "ics", "zip")

# What a page must show at 320 px: no sideways scroll of the page, and each table that is wider
# than its box inside a region a keyboard can reach and a screen reader can name.
REFLOW = """() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) {
    const wide = [...document.body.querySelectorAll("*")]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((e) => !e.closest(".table-scroll"))
      .slice(0, 3)
      .map((e) => e.tagName.toLowerCase() + "." + String(e.className).split(" ").join("."));
    problems.push(`page is ${doc.scrollWidth}px wide (${wide.join(", ")})`);
  }
  for (const table of document.querySelectorAll("main table")) {
    const region = table.closest(".table-scroll");
    if (region) {
      if (region.getAttribute("role") !== "region" || !region.getAttribute("aria-label")
          || region.tabIndex !== 0) {
        problems.push("a table's scroll region is not labelled and focusable");
      }
    } else if (table.scrollWidth > table.parentElement.clientWidth + 1) {
      const name = table.querySelector("caption, th")?.textContent.trim().slice(0, 40);
      problems.push(`a table (${name}) is wider than the page and not in a scroll region`);
    }
  }
  return problems;
}"""

# The forms on a page that a person fills in (at least one required field), as
# [action, button words]; a bare button (no fields) is never pressed.
FORMS = """() => [...document.querySelectorAll("main form[method=post]")]
  .filter((f) => f.querySelector("[required]") && f.querySelector("[type=submit]"))
  .filter((f) => f.querySelector("[type=submit]").checkVisibility())
  .map((f) => [f.getAttribute("action") || location.pathname,
               f.querySelector("[type=submit]").textContent.trim()])"""

EMPTY_AND_SEND = """([action, words]) => {
  const form = [...document.querySelectorAll("main form[method=post]")].find((f) =>
    (f.getAttribute("action") || location.pathname) === action
    && f.querySelector("[type=submit]").textContent.trim() === words);
  for (const field of form.elements) {
    if (field.type === "hidden" || field.type === "submit" || field.type === "button") continue;
    if (field.type === "checkbox" || field.type === "radio") field.checked = false;
    else if (field.tagName === "SELECT") {
      field.selectedIndex = field.options[0]?.value === "" ? 0 : -1;
    }
    else field.value = "";
  }
  form.querySelector("[type=submit]").setAttribute("data-sweep-send", "");
}"""


@pytest.fixture
def demo_data(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", scale="small", stdout=io.StringIO())


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _crawlable(href: str, origin: str) -> str | None:
    """The path (and query) of a link the sweep follows, or None."""
    parts = urlsplit(href)
    if f"{parts.scheme}://{parts.netloc}" != origin or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    name = _url_name(parts.path)
    if name is None or any(word in name for word in SKIPPED_NAME_WORDS):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _links(page, origin) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map((a) => a.href)"
    )
    return [path for href in hrefs if (path := _crawlable(href, origin))]


def _check(page, axe, where, problems):
    for problem in page.evaluate(REFLOW):
        problems.append(f"{where}: {problem}")
    results = axe.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"]][:2]
            problems.append(f"{where}: axe {violation['id']} ({violation['impact']}) {targets}")


def _visit(page, path) -> bool:
    try:
        response = page.goto(path)
    except Exception:  # a download, or a page that never finished: not a page to sweep
        return False
    content_type = response.headers.get("content-type", "") if response else ""
    return response is not None and response.ok and content_type.startswith("text/html")


def _sweep(page, axe, origin, seen_names, problems) -> tuple[int, int]:
    """Visit the navigation's pages from where the person is, then the links on them to URL
    names not yet seen; send each form found there empty once. Returns (pages, forms)."""
    start = page.evaluate("location.pathname")
    nav = [
        path
        for href in page.eval_on_selector_all(
            "header nav a[href]", "links => links.map((a) => a.href)"
        )
        if (path := _crawlable(href, origin))
    ]
    pages = list(dict.fromkeys([start, *nav]))
    seen_names.update(_url_name(urlsplit(p).path) for p in pages)
    visited, found, sent = 0, [], set()
    for path in pages:
        if not _visit(page, path):
            continue
        visited += 1
        _check(page, axe, path, problems)
        found += [(path, form) for form in page.evaluate(FORMS)]
        for link in _links(page, origin):
            name = _url_name(urlsplit(link).path)
            if name not in seen_names and len(pages) < len(nav) + 1 + MAX_LINKED_PAGES:
                seen_names.add(name)
                pages.append(link)
    for path, (action, words) in found:
        if (action, words) in sent or len(sent) >= MAX_FORMS or not _visit(page, path):
            continue
        sent.add((action, words))
        page.evaluate(EMPTY_AND_SEND, [action, words])
        # A plain form loads the page again; an htmx form swaps its part in place.
        page.locator("[data-sweep-send]").click()
        page.wait_for_load_state("networkidle")
        where = f"{path} ({words}, sent empty)"
        _check(page, axe, where, problems)
        # A form shown again with errors starts with the shared error summary, linked to fields.
        if (
            page.locator("main .is-invalid").count()
            and not page.locator("main [data-error-summary] a[href*='#']").count()
        ):
            problems.append(f"{where}: errors shown without the error summary's links")
    assert visited >= len(nav)
    return visited, len(sent)


def test_every_page_each_role_reaches_fits_a_phone_and_passes_axe(
    demo_data, browser, live_server, axe
):
    """One demo world, each role in turn; a URL name another role's sweep has already seen is
    not visited again (each role's navigation pages always are)."""
    seen_names, problems, counts = set(), [], []
    for role in ("hub_lead", "specialist", "school_contact", "staff"):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            _, email, _ = DEMO_LOGINS[role]
            sign_in(page, email, DEMO_PASSWORD)
            page.set_viewport_size(PHONE)
            found = []
            counts.append((role, *_sweep(page, axe, live_server.url, seen_names, found)))
            problems += [f"{role} {problem}" for problem in found]
        finally:
            context.close()
    print("pages and forms swept per role:", counts, "URL names:", len(seen_names))
    assert not problems, f"{counts}:\n" + "\n".join(problems)
