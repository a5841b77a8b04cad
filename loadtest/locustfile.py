"""The load test's users (make loadtest; scripts/loadtest.sh starts the servers and locust).

Against a seed_scale --districts 10 database: leaders read the 擂台榜 and their home page;
sections read their desk and review queue and open what waits for them; townships open their
month's reports, fill one in (the version and the CSRF token from the form, as a browser sends
them) and save it as a draft, or submit it. Every account logs in with the demo password when it
arrives and now and then signs out and in again: no login ever fails, so the login lockout never
starts. Each user waits 2 to 6 seconds between
pages, as a person reading them would.
"""

from __future__ import annotations

import itertools
import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "minzheng-demo-2020")  # settings.DEMO_PASSWORD
DISTRICTS = int(os.environ.get("LOADTEST_DISTRICTS", "10"))
TOWNSHIPS = 15
SECTIONS = ["jiuzhu", "yanglao", "jiceng", "shiwu"]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
NUMBERS = re.compile(r'name="(e\d+_(?:numerator|denominator|value))"')
STAGES = re.compile(r'<select name="(e\d+_stage)"')
NOTES = re.compile(r'name="(e\d+_note)"')
TO_FILL = re.compile(r'btn-primary" href="/plans/reports/(\d+)/">填报<')
TO_REVIEW = re.compile(r'href="/plans/reports/(\d+)/">审核<')
BOARD = re.compile(r"/plans/(\d+)/board/")

# Township accounts handed out one per user, so no two users edit the same township's reports.
_townships = itertools.cycle(
    [f"s{d:02d}-t{t:02d}" for t in range(1, TOWNSHIPS + 1) for d in range(1, DISTRICTS + 1)]
)


def district() -> int:
    return random.randint(1, DISTRICTS)


class Person(HttpUser):
    abstract = True
    wait_time = between(2, 6)
    username = ""
    board_url = "/plans/boards/"

    home_name = "home"

    def on_start(self) -> None:
        self.log_in()

    def log_in(self) -> None:
        page = self.client.get("/login/", name="login page")
        token = CSRF.search(page.text)
        with self.client.post(
            "/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "next": "/",
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.username}: {response.status_code}")

    @task(1)
    def come_back(self) -> None:
        """Now and then the person signs out and in again (a clerk back from a meeting): the
        logins are measured beside the pages, not only while the users arrive."""
        if random.random() >= 0.25:
            return
        home = self.client.get("/", name=self.home_name)
        token = CSRF.search(home.text)
        self.client.post(
            "/logout/",
            data={"csrfmiddlewaretoken": token.group(1) if token else ""},
            name="logout",
            allow_redirects=False,
        )
        self.log_in()


class Leader(Person):
    """局领导: the board, the home page's board summary, the bulletins."""

    weight = 2

    home_name = "home (leader)"

    def on_start(self) -> None:
        self.username = f"s{district():02d}-leader"
        super().on_start()
        home = self.client.get("/", name=self.home_name)
        found = BOARD.search(home.text)
        self.board_url = f"/plans/{found.group(1)}/board/" if found else "/plans/boards/"

    @task(3)
    def board(self) -> None:
        self.client.get(self.board_url, name="board")

    @task(2)
    def home(self) -> None:
        self.client.get("/", name=self.home_name)

    @task(1)
    def bulletins(self) -> None:
        self.client.get("/plans/bulletins/", name="bulletins")


class Section(Person):
    """科室: the desk, the review queue, a report waiting for review; now and then accept one."""

    weight = 1

    home_name = "home (section)"

    def on_start(self) -> None:
        self.username = f"s{district():02d}-{random.choice(SECTIONS)}"
        super().on_start()

    @task(3)
    def home(self) -> None:
        self.client.get("/", name=self.home_name)

    @task(2)
    def review(self) -> None:
        queue = self.client.get("/plans/reports/", name="my reports (section)")
        waiting = TO_REVIEW.findall(queue.text)
        if not waiting:
            return
        pk = random.choice(waiting)
        page = self.client.get(f"/plans/reports/{pk}/", name="report (section)")
        token = CSRF.search(page.text)
        if token and random.random() < 0.4:
            self.client.post(
                f"/plans/reports/{pk}/review/",
                data={"decision": "accept", "csrfmiddlewaretoken": token.group(1)},
                name="report accept",
            )


class Township(Person):
    """镇街: home, the month's reports, one report opened, filled and saved or submitted."""

    weight = 3

    home_name = "home (township)"

    def on_start(self) -> None:
        self.username = next(_townships)
        super().on_start()

    @task(2)
    def home(self) -> None:
        self.client.get("/", name=self.home_name)

    @task(3)
    def fill(self) -> None:
        listing = self.client.get("/plans/reports/", name="my reports (township)")
        drafts = TO_FILL.findall(listing.text)
        if not drafts:
            return
        pk = random.choice(drafts)
        url = f"/plans/reports/{pk}/"
        page = self.client.get(url, name="report form")
        token, version = CSRF.search(page.text), VERSION.search(page.text)
        if not token or not version:
            return  # no longer open for changes
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "version": version.group(1),
            "progress": "入户摸底，召开推进会，逐项整改。",
            "problems": "部分群众认识不到位。",
            "plans": "下月完成剩余任务。",
        }
        for name in NUMBERS.findall(page.text):
            data[name] = "18" if name.endswith("numerator") else "30"
        for name in STAGES.findall(page.text):
            data[name] = "2"
        for name in NOTES.findall(page.text):
            data[name] = "按计划推进"
        submit = random.random() < 0.3
        data["submit" if submit else "save"] = "1"
        with self.client.post(
            url,
            data=data,
            name="report submit" if submit else "report save",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"report {pk} not saved: {response.status_code}")
