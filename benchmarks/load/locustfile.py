"""The year-end mix at 50 users: focal points, secretariats, leaders and HR staff at once.

Run by ``benchmarks/load/run.sh`` (gunicorn + a Celery worker + this, loopback only,
bounded in time). Needs the plan written by ``benchmarks/load/prepare_users.py``
(``LOAD_PLAN``: users, password, and the objects each acts on).

Every user logs in through the login form with their real password (django-axes
sees only successful logins), then loops over the tasks of its role with 2–6 s
of thinking time between them. Forms are the app's own: each page is fetched,
its fields read (CSRF token included) and posted back filled in, as a browser
does. A POST that the app should accept must answer with a redirect; anything
else (a form shown again with an error, a 4xx, a 5xx) counts as a failure, with
the reason in locust's failure table. Names in the statistics are pages, not URLs,
so that the p95 of "nomination page" covers every nomination.

Weights 20:12:10:8: at 50 users, 20 focal points, 12 secretariats, 10 leaders, 8 HR staff.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import re
import threading
import time
from typing import Any

from locust import HttpUser, between, events, task
from pypdf import PdfWriter

from benchmarks.load.forms import Form, form_with, parse_forms
from benchmarks.load.routes import path
from benchmarks.load.summary import RESET_ROW

# run.sh always sets it; prepare_users.py writes the file wherever --out says.
PLAN_PATH = os.environ.get("LOAD_PLAN", "plan.json")
POLL_SECONDS = 1.0  # the status page's htmx trigger: "every 1s"
POLL_LIMIT = 30  # a leader watches a report for half a minute, then moves on
ERROR_RE = re.compile(
    r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)</', re.S
)

_plan: dict[str, Any] | None = None
_lock = threading.Lock()
_accounts: dict[str, itertools.count] = {}


def plan() -> dict[str, Any]:
    global _plan
    with _lock:
        if _plan is None:
            with open(PLAN_PATH, encoding="utf-8") as handle:
                _plan = json.load(handle)
    return _plan


def next_account(role: str) -> dict[str, Any]:
    """The next unused account of ``role``: 50 users, 50 different people."""
    with _lock:
        counter = _accounts.setdefault(role, itertools.count())
        n = next(counter)
    accounts = plan()[role]
    return accounts[n % len(accounts)]


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _pdf()
DOSSIER_KINDS = ("submission_letter", "achievement_report", "minutes")


def _reason(response: Any) -> str:
    if not response.status_code:  # no answer at all: say why (reset, refused, timeout)
        return f"no response: {response.error!r}"[:200]
    found = ERROR_RE.search(response.text or "")
    text = re.sub(r"\s+", " ", found.group(1)).strip() if found else ""
    return f"{response.status_code} {text[:160]}".strip()


def _closed_unanswered(response: Any) -> bool:
    """No answer at all because the server closed or reset the connection under the request."""
    error = repr(getattr(response, "error", None))
    return not response.status_code and (
        "ConnectionResetError" in error or "RemoteDisconnected" in error
    )


def _id_in(location: str, name: str) -> int | None:
    """The primary key in a redirect to route ``name``: /awards/nominations/42/ → 42."""
    pattern = re.escape(path(name, 987654321)).replace("987654321", r"(\d+)")
    found = re.search(pattern + "$", location.split("?")[0])
    return int(found.group(1)) if found else None


class YearEndUser(HttpUser):
    abstract = True
    wait_time = between(2, 6)
    role = ""

    def on_start(self) -> None:
        self.account = next_account(self.role)
        self.login()

    # -- helpers ---------------------------------------------------------------------------

    def login(self) -> None:
        page = self.get("login page", path("login"))
        form = form_with(page.text, "username") if page is not None else None
        data = form.values() if form else {}
        data.update(username=self.account["username"], password=plan()["password"])
        with self.client.post(
            path("login"),
            data=data,
            name="login (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused: {_reason(response)}")

    def get(self, name: str, url: str, *, statuses: tuple[int, ...] = (200,), **kwargs: Any) -> Any:
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            if _closed_unanswered(response):
                # A GET on a keep-alive connection that gunicorn closed as it arrived (a
                # worker recycled by --max-requests): nginx and browsers send it again on a
                # new connection. So does this user, once; the reset is kept in its own row
                # of the statistics so that the run reports how often it happened.
                response.request_meta["name"] = RESET_ROW
                response.success()
            else:
                return self._checked(name, response, statuses)
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            return self._checked(name, response, statuses)

    def _checked(self, name: str, response: Any, statuses: tuple[int, ...]) -> Any:
        if response.status_code not in statuses:
            response.failure(_reason(response))
            return None
        if response.url and path("login") in response.url and name != "login page":
            response.failure("sent to the login page")
            return None
        return response

    def submit(
        self,
        name: str,
        url: str,
        data: dict[str, Any],
        *,
        files: dict[str, Any] | None = None,
        follow_name: str | None = None,
    ) -> str | None:
        """POST a form the app should accept: a redirect, whose target is then fetched."""
        with self.client.post(
            url, data=data, files=files, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code not in (301, 302, 303):
                response.failure(f"form refused: {_reason(response)}")
                return None
            location = response.headers.get("Location", "")
        if follow_name:
            self.get(follow_name, location)
        return location

    def form_page(self, name: str, url: str, field: str, *, prefix: bool = False) -> Form | None:
        response = self.get(name, url)
        if response is None:
            return None
        form = form_with(response.text, field, prefix=prefix)
        if form is None:
            events.request.fire(
                request_type="FORM",
                name=name,
                response_time=0,
                response_length=0,
                exception=AssertionError(f"no form with field {field!r}"),
            )
        return form

    def token(self) -> str:
        return self.client.cookies.get("csrftoken", "")


class FocalPoint(YearEndUser):
    """A unit's focal point at year end: nominations with their dossiers, registrations."""

    role = "focal"
    weight = 20

    def on_start(self) -> None:
        super().on_start()
        self.nominees = list(self.account["nominees"])
        self.registrations = list(self.account["registrations"])

    @task(3)
    def nomination_list(self) -> None:
        self.get("nomination list", path("awards:nomination_list"))

    @task(2)
    def nominate(self) -> None:
        if not self.nominees:
            return
        person = self.nominees.pop(0)
        url = f"{path('awards:nomination_create', self.account['round'])}"
        url += f"?proposing_unit={self.account['unit']}"
        form = self.form_page("nomination form", url, "achievement_summary")
        if form is None:
            return
        data = form.values()
        data.update(
            proposing_unit=str(self.account["unit"]),
            award_type=str(random.choice(self.account["award_types"])),
            person=str(person),
            unit="",
            track="merit",
            achievement_summary="Hoàn thành xuất sắc nhiệm vụ năm 2026; có sáng kiến được công nhận.",
        )
        location = self.submit("nomination form (POST)", url, data)
        pk = _id_in(location or "", "awards:nomination_detail")
        if pk is None:
            return
        self.get("nomination page", path("awards:nomination_detail", pk))
        for kind in DOSSIER_KINDS:
            self.submit(
                "dossier upload (POST)",
                path("awards:dossier_upload", pk),
                {"csrfmiddlewaretoken": self.token(), "kind": kind},
                files={"file": (f"{kind}.pdf", PDF, "application/pdf")},
            )
        self.submit(
            "nomination submit (POST)",
            path("awards:nomination_submit", pk),
            {"csrfmiddlewaretoken": self.token()},
            follow_name="nomination page",
        )

    @task(2)
    def register(self) -> None:
        if not self.registrations:
            return
        unit, year = self.registrations.pop(0)
        self.get("registration list", path("awards:registration_list"))
        url = path("awards:registration_create")
        form = self.form_page("registration form", url, "year")
        if form is None:
            return
        data = form.values()
        data.update(unit=str(unit), year=str(year), campaign="", collective_title="")
        location = self.submit("registration form (POST)", url, data)
        pk = _id_in(location or "", "awards:registration_edit")
        if pk is None:
            return
        edit_url = path("awards:registration_edit", pk)
        form = self.form_page("registration people list", edit_url, "entries-TOTAL_FORMS")
        if form is None:
            return
        data = form.values()
        people = [v for v, _ in form.field("entries-0-person").options if v]
        titles = [v for v, _ in form.field("entries-0-award_type").options if v]
        rows = int(data["entries-TOTAL_FORMS"])
        chosen = random.sample(people, min(2, len(people), rows))
        for n in range(rows):
            person = chosen[n] if n < len(chosen) else ""
            data[f"entries-{n}-person"] = person
            data[f"entries-{n}-award_type"] = titles[0] if person else ""
        self.submit("registration people list (POST)", edit_url, data)
        self.submit(
            "registration submit (POST)",
            path("awards:registration_submit", pk),
            {"csrfmiddlewaretoken": self.token()},
            follow_name="registration page",
        )


class Secretariat(YearEndUser):
    """A bloc's secretariat at the year-end meeting: score sheets and the ranking."""

    role = "secretary"
    weight = 12

    @task(1)
    def bloc(self) -> None:
        self.get("bloc page", path("pledges:bloc_detail", self.account["bloc"]))

    @task(2)
    def table(self) -> None:
        self.get("scoring table", path("pledges:scoring_table", self.account["bloc_year"]))

    @task(1)
    def results(self) -> None:
        self.get("scoring results", path("pledges:scoring_results", self.account["bloc_year"]))

    @task(4)
    def record_scores(self) -> None:
        bloc_year = self.account["bloc_year"]
        member = random.choice(self.account["members"])
        if self.account["stage"] == "self":
            url, label, prefix = path("pledges:scoring_self", bloc_year, member), "self", "points_"
        else:
            url, label, prefix = path("pledges:scoring_cross", bloc_year, member), "cross", "s_"
        form = self.form_page(f"{label}-scoring sheet", url, prefix, prefix=True)
        if form is None:
            return
        data = form.values()
        cells = [f for f in form.fields if f.name.startswith(prefix) and f.tag == "input"]
        # Self-scoring: the whole sheet is entered again; cross-scoring: a few cells change.
        changed = cells if label == "self" else random.sample(cells, min(5, len(cells)))
        for cell in changed:
            # Whole points within the criterion's maximum (the inputs take 0.01 steps).
            top = int(float(cell.attrs.get("max") or 10))
            data[cell.name] = str(random.randint(top // 2, top))
        self.submit(
            f"{label}-scoring sheet (POST)", url, data, follow_name=f"{label}-scoring sheet"
        )


class Leader(YearEndUser):
    """A leader: dashboards and campaign pages; asks for a phase review and watches it."""

    role = "leader"
    weight = 10

    @task(3)
    def home(self) -> None:
        self.get("home (dashboard)", path("home"))

    @task(1)
    def campaigns(self) -> None:
        self.get("campaign list", path("campaigns:list"))

    @task(2)
    def campaign(self) -> None:
        pk = random.choice(self.account["campaigns"])
        self.get("campaign page", path("campaigns:detail", pk))

    @task(1)
    def progress(self) -> None:
        pk = random.choice(self.account["campaigns"])
        self.get("campaign progress", path("campaigns:progress", pk))

    @task(1)
    def report(self) -> None:
        self.get("reports index", path("reports:index"))
        draft = random.choice(self.account["drafts"])
        if self.get("report draft page", path("reports:draft_detail", draft)) is None:
            return
        location = self.submit(
            "report request (POST)",
            path("reports:version_request", draft),
            {"csrfmiddlewaretoken": self.token()},
        )
        version = _id_in(location or "", "reports:version_status")
        if version is None:
            # The draft already has a version being made: the app says so on the draft
            # page (another leader of the body asked first). Not an error.
            if location:
                self.get("report draft page", location)
            return
        page = self.get("report status page", path("reports:version_status", version))
        seen = re.search(r"\?seen=([0-9a-f]+)", page.text) if page is not None else None
        for _ in range(POLL_LIMIT):
            if seen is None:
                break
            time.sleep(POLL_SECONDS)
            url = f"{path('reports:version_progress', version)}?seen={seen.group(1)}"
            response = self.get("report progress (poll)", url, statuses=(200, 204))
            if response is None:
                return
            if response.status_code == 200:
                if "bg-danger" in response.text:
                    events.request.fire(
                        request_type="JOB",
                        name="report job",
                        response_time=0,
                        response_length=0,
                        exception=AssertionError("report job failed"),
                    )
                    return
                seen = re.search(r"\?seen=([0-9a-f]+)", response.text)
        if seen is None:
            self.get("report PDF download", path("reports:version_pdf", version))


class HRStaff(YearEndUser):
    """HR staff of a body: the lists and the people search."""

    role = "hr"
    weight = 8

    @task(2)
    def people_search(self) -> None:
        q = random.choice(self.account["q"])
        self.get("people search", path("org:people"), params={"q": q})

    @task(1)
    def unit_tree(self) -> None:
        self.get("unit tree", path("org:unit_tree"))

    @task(1)
    def unit(self) -> None:
        self.get("unit page (body)", path("org:unit_detail", self.account["body"]))

    @task(2)
    def nominations(self) -> None:
        self.get("nomination list", path("awards:nomination_list"))

    @task(1)
    def registrations(self) -> None:
        self.get("registration list", path("awards:registration_list"))

    @task(1)
    def rounds(self) -> None:
        self.get("award rounds", path("awards:round_list"))

    @task(1)
    def blocs(self) -> None:
        self.get("bloc list", path("pledges:bloc_list"))

    @task(1)
    def campaigns(self) -> None:
        self.get("campaign list", path("campaigns:list"))


__all__ = ["FocalPoint", "HRStaff", "Leader", "Secretariat", "parse_forms"]
