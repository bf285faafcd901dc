"""The mixed load of `make bench`: hub leads reading, specialists taking attendance, schools
sending expressions of interest, each person pausing one to two seconds between requests.

bench/pages.py runs it twice with the same people and pacing: once with every write replaced by
a GET of the page it is made from (BENCH_LOCUST_WRITES=0), once with the writes
(BENCH_LOCUST_WRITES=1). Who signs in as whom, which pages and which schools come from the JSON
plan named by BENCH_LOCUST_PLAN, which bench/pages.py writes.

Cookies are kept by hand: with DEBUG off the portal marks them Secure, and the client would not
send a Secure cookie back over the loopback's plain HTTP.
"""

import itertools
import json
import os
from pathlib import Path

from locust import HttpUser, between, task
from requests.adapters import HTTPAdapter

if "BENCH_LOCUST_PLAN" not in os.environ:
    raise SystemExit("Run by bench/pages.py (make bench), which writes the plan it reads.")

PLAN = json.loads(Path(os.environ["BENCH_LOCUST_PLAN"]).read_text())
WRITES = os.environ.get("BENCH_LOCUST_WRITES") == "1"
SESSION = PLAN["session_cookie"]
CSRF = PLAN["csrf_cookie"]
STATUSES = ("present", "absent", "apologies")


class SourceAddressAdapter(HTTPAdapter):
    """Connections from one loopback address (127.x.y.z): a distinct client to the portal."""

    def __init__(self, address: str, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 2)

    def on_start(self):
        self.cookies = {}

    def _send(self, method, path, name, *, expect, headers=None, data=None, check=None):
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        with self.client.request(
            method,
            path,
            name=name,
            headers=sent,
            data=data,
            allow_redirects=False,
            catch_response=True,
            timeout=60,
        ) as response:
            for cookie in response.cookies:
                self.cookies[cookie.name] = cookie.value
            if response.status_code != expect:
                response.failure(f"answered {response.status_code}, expected {expect}")
            elif check and (problem := check(response)):
                response.failure(problem)
            else:
                response.success()
        return response

    def get(self, path, name, *, expect=200, **kwargs):
        return self._send("GET", path, name, expect=expect, **kwargs)

    def post(self, path, name, data, *, expect, headers=None, **kwargs):
        headers = {**(headers or {}), "X-CSRFToken": self.cookies.get(CSRF, "")}
        data = {**data, "csrfmiddlewaretoken": self.cookies.get(CSRF, "")}
        return self._send("POST", path, name, expect=expect, headers=headers, data=data, **kwargs)


def _identity(user_class, people):
    """The next person of a kind, in the same order in both runs."""
    return people[next(user_class.taken) % len(people)]


class HubLead(PortalUser):
    """Reads the dashboard, the review queue, the cohort page and work group pages in turn."""

    weight = 2
    taken = itertools.count()

    def on_start(self):
        lead = _identity(HubLead, PLAN["hub_leads"])
        self.cookies = {SESSION: lead["session"]}
        self.pages = itertools.cycle(lead["pages"])

    @task
    def read_a_page(self):
        name, path = next(self.pages)
        self.get(path, name)


def _no_error_in_row(response):
    if 'role="alert"' in response.text:
        return "the attendance row came back with an error"
    return None


class Specialist(PortalUser):
    """Opens a workshop of one of their groups and marks an attendee (htmx, one row back)."""

    weight = 2
    taken = itertools.count()

    def on_start(self):
        specialist = _identity(Specialist, PLAN["specialists"])
        self.cookies = {SESSION: specialist["session"]}
        self.home = specialist["home"]
        self.marks = itertools.cycle(
            (workshop, contact, STATUSES[n % len(STATUSES)])
            for n, (workshop, contact) in enumerate(
                (workshop, contact)
                for workshop in specialist["workshops"]
                for contact in workshop["contacts"]
            )
        )
        self.rounds = itertools.count()

    @task
    def take_attendance(self):
        workshop, contact, status = next(self.marks)
        self.get(workshop["page"], "workshop page")
        self.wait()
        if WRITES:
            self.post(
                workshop["mark"],
                "attendance mark (POST)",
                {"contact": contact, "status": status},
                expect=200,
                headers={"HX-Request": "true", "HX-Target": f"attendee-{contact}"},
                check=_no_error_in_row,
            )
        else:
            self.get(workshop["page"], "workshop page")
        if next(self.rounds) % 3 == 2:
            self.wait()
            self.get(self.home, "specialist home")


class School(PortalUser):
    """Someone at a school, each time a different one from a different address: the catalogue,
    the hub's work groups, the form, the check page, send, the acknowledgement."""

    weight = 1
    taken = itertools.count()

    def on_start(self):
        school = _identity(School, PLAN["schools"])
        self.eois = iter(school["eois"])

    def _new_client(self, address):
        self.cookies = {}
        self.client.cookies.clear()
        self.client.adapters["http://"].close()
        self.client.mount("http://", SourceAddressAdapter(address))

    @task
    def express_interest(self):
        eoi = next(self.eois, None)
        if eoi is None:
            # Every prepared school has sent: keep reading the catalogue at the same pace.
            self.get("/work-groups/", "catalogue")
            return
        self._new_client(eoi["address"])
        self.get("/work-groups/", "catalogue")
        self.wait()
        self.get(eoi["hub_page"], "hub catalogue")
        self.wait()
        self.get(eoi["form"], "EOI form")
        self.wait()
        if not WRITES:
            # The same requests at the same pace, each a GET of the form they would send.
            self.get(eoi["form"], "EOI form")
            self.get(eoi["form"], "EOI form")
            self.wait()
            self.get(eoi["form"], "EOI form")
            self.get(eoi["form"], "EOI form")
            return
        sent = self.post(eoi["form"], "EOI form (POST)", eoi["payload"], expect=302)
        check = sent.headers.get("Location", "")
        if not check:
            return
        self.get(check, "EOI check page")
        self.wait()
        sent = self.post(check, "EOI send (POST)", {}, expect=302)
        acknowledgement = sent.headers.get("Location", "")
        if acknowledgement:
            self.get(acknowledgement, "EOI sent page")
