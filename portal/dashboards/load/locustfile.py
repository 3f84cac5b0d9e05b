"""The visitors ``benchmark http`` sends (portal/dashboards/load/__init__.py), for
locust. Read by locust in its own process; the plan (a JSON file named by LOAD_PLAN)
says what exists to ask for, LOAD_MODE whether each visitor asks once a second
("rate"), as fast as answers come ("saturate"), or as fast as answers come for one page
kind only ("solo": the one LOAD_KIND names, "constant" for the constant view).
"""

import json
import os
import random
import re

from locust import HttpUser, constant, constant_throughput, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115
MODE = os.environ.get("LOAD_MODE", "rate")
SOLO = os.environ.get("LOAD_KIND", "") if MODE == "solo" else ""
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PROFILE = {
    "council": PLAN["council"],
    "supplies": "72",
    "size": "micro",
    "stage": "growing",
    "turnover": "under_50k",
    "role": "owner",
    "customer_types": "consumers",
    "plans": "bid_public_contracts",
    "sic_section": "G",
}


def weight(kind: str, share: int) -> int:
    """The page kind's share of the mix; alone, all or nothing."""
    if SOLO:
        return 1 if kind == SOLO else 0
    return 0 if kind == "constant" else share


class Visitor(HttpUser):
    wait_time = constant_throughput(1) if MODE == "rate" else constant(0)

    def on_start(self):
        # A diagnostic of this visitor's own to submit, and a completed one to read,
        # opened through its resume link as its owner would. Named "setup:" so the
        # report leaves them out; a visitor asking one page kind alone makes only the
        # one it needs, so that its throughput is that page's.
        self.profile_url = self.results_url = ""
        if SOLO in ("", "diagnostic_submit"):
            self._start_diagnostic()
        if SOLO in ("", "results"):
            self._open_completed()

    def _start_diagnostic(self):
        start = self.client.get("/diagnostic/", name="setup: start page")
        token = CSRF.search(start.text)
        self.csrf = token[1] if token else ""
        begun = self.client.post(
            "/diagnostic/",
            {"csrfmiddlewaretoken": self.csrf},
            headers={"Referer": self.host + "/diagnostic/"},
            allow_redirects=False,
            name="setup: start",
        )
        self.profile_url = begun.headers.get("Location", "")

    def _open_completed(self):
        completed = random.choice(PLAN["completed"])
        # Not followed: the redirect is to the results page, which "results" measures.
        self.client.get(completed["resume"], name="setup: resume", allow_redirects=False)
        self.results_url = completed["results"]

    @task(weight("home", 10))
    def home(self):
        self.client.get("/", name="home")

    @task(weight("catalogue_search", 20))
    def catalogue_search(self):
        words = random.choice(["digital", "export", "grant", "training", ""])
        kind = random.choice(["grant", "training", "advice", ""])
        self.client.get(
            "/support/",
            params={"q": words, "kind": kind, "size": "micro"},
            name="catalogue_search",
        )

    @task(weight("offer", 15))
    def offer(self):
        self.client.get(f"/support/{random.choice(PLAN['offers'])}/", name="offer")

    @task(weight("opportunity_search", 15))
    def opportunity_search(self):
        words = random.choice(["software", "cleaning", "construction", ""])
        self.client.get("/contracts/", params={"q": words}, name="opportunity_search")

    @task(weight("diagnostic_submit", 5))
    def diagnostic_submit(self):
        with self.client.post(
            self.profile_url,
            {**PROFILE, "csrfmiddlewaretoken": self.csrf},
            headers={"Referer": self.host + self.profile_url},
            allow_redirects=False,
            name="diagnostic_submit",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"the profile was not saved ({response.status_code})")

    @task(weight("results", 5))
    def results(self):
        self.client.get(self.results_url, name="results")

    @task(weight("dashboard", 5))
    def dashboard(self):
        self.client.get(f"/data/{PLAN['council']}/", name="dashboard")

    @task(weight("api_openreferral", 3))
    def api_openreferral(self):
        page = random.randint(1, 20)
        self.client.get(
            "/api/openreferral/services", params={"page": page}, name="api_openreferral"
        )

    @task(weight("api_ocds", 3))
    def api_ocds(self):
        self.client.get("/api/ocds/releases", name="api_ocds")

    @task(weight("constant", 0))
    def constant(self):
        self.client.get(PLAN["constant"], name="constant")
