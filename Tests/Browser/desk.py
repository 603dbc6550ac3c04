"""The browser suite's helpers: one headless Chromium per user, every page checked as it arrives.

Every page a browser lands on (after a link, a form, or a typed address) goes through `Browser.arrived`:
it must not have opened a dialog, it is saved as a numbered screenshot (NNN-story-user-page.png) and it is
checked with axe-core; serious and critical violations are recorded and fail the test that saw them (see
conftest.py). The suite reads its settings from the environment that deploy/desk-check sets.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import (
    NoAlertPresentException,
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
    UnexpectedAlertPresentException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WINDOW = (1280, 900)
ROLES = {"alice": "author", "bob": "editor", "dora": "editor", "carol": "publisher", "root": "admin"}
FAILING_IMPACTS = ("serious", "critical")

# What every desk response must carry (the contract's "Every page").
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def axe_script() -> str:
    """The newest axe-core a PyPI package ships: axe-playwright-python's (4.x), else axe-selenium-python's (3.1)."""
    for package in ("axe_playwright_python", "axe_selenium_python"):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = Path(list(spec.submodule_search_locations)[0])
        for candidate in (folder / "axe.min.js", folder / "node_modules" / "axe-core" / "axe.min.js"):
            if candidate.is_file():
                return str(candidate)
    raise RuntimeError("no axe.min.js found in the virtualenv (deploy/desk-check installs it)")


@dataclass
class Config:
    base_url: str
    copydesk: str
    password_suffix: str
    screenshots: Path
    browser_dir: Path
    seed_file: Path
    server_log: Path | None

    @classmethod
    def from_environment(cls) -> "Config":
        missing = [n for n in ("DESK_BASE_URL", "DESK_COPYDESK", "DESK_PASSWORD_SUFFIX") if not os.environ.get(n)]
        if missing:
            raise RuntimeError(f"run the suite with deploy/desk-check ({', '.join(missing)} not set)")
        screenshots = Path(os.environ.get("DESK_SCREENSHOTS", ".build/desk-screenshots"))
        screenshots.mkdir(parents=True, exist_ok=True)
        browser_dir = Path(os.environ.get("DESK_BROWSER_DIR", "/tmp/desk-browsers"))
        browser_dir.mkdir(parents=True, exist_ok=True)
        log = os.environ.get("DESK_SERVER_LOG")
        return cls(
            base_url=os.environ["DESK_BASE_URL"].rstrip("/"),
            copydesk=os.environ["DESK_COPYDESK"],
            password_suffix=os.environ["DESK_PASSWORD_SUFFIX"],
            screenshots=screenshots,
            browser_dir=browser_dir,
            seed_file=Path(os.environ.get("DESK_SEED_FILE", "seeds/000_5f9bf97b76e61b5f.txt")),
            server_log=Path(log) if log else None,
        )

    def password(self, name: str) -> str:
        return name + self.password_suffix


@dataclass
class Finding:
    """One axe violation (or browser console error) on one visited page."""

    test: str
    story: str
    user: str
    page: str
    url: str
    screenshot: str
    kind: str  # "axe" or "console"
    rule: str = ""
    impact: str = ""
    description: str = ""
    help_url: str = ""
    nodes: list = field(default_factory=list)

    def describe(self) -> str:
        if self.kind in ("console", "headers"):
            return f"[{self.screenshot}] {self.user} on {self.page} ({self.url}): {self.description}"
        lines = [
            f"[{self.impact}] {self.rule}: {self.description}",
            f"    page: {self.page} as {self.user}, {self.url} (screenshot {self.screenshot})",
            f"    help: {self.help_url}",
        ]
        for node in self.nodes[:8]:
            lines.append(f"    - {node['target']}")
            lines.append(f"      {node['html'][:200]}")
            for summary_line in node["summary"].splitlines()[:4]:
                lines.append(f"        {summary_line.strip()}")
        if len(self.nodes) > 8:
            lines.append(f"    ... and {len(self.nodes) - 8} more elements")
        return "\n".join(lines)


class Recorder:
    """Session-wide: numbers the screenshots and keeps what axe and the console reported."""

    def __init__(self, config: Config):
        self.config = config
        self.counter = itertools.count(1)
        self.findings: list[Finding] = []
        self.visits = 0
        self.documents = 0  # desk responses whose headers were checked
        self.axe_rules: list[int] = []  # rules axe applied on each page (passed + violated + incomplete)
        self.axe_path = axe_script()
        with open(self.axe_path, encoding="utf-8") as f:
            source = f.read()
        match = re.search(r"axe v([0-9.]+)", source[:200]) or re.search(r'\.version="([0-9.]+)"', source)
        self.axe_version = match.group(1) if match else "?"

    def next_number(self) -> int:
        return next(self.counter)

    def failing(self, test: str) -> list[Finding]:
        return [
            f
            for f in self.findings
            if f.test == test and ((f.kind == "axe" and f.impact in FAILING_IMPACTS) or f.kind == "headers")
        ]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "page"


class Browser:
    """One user's headless Chromium (its own WebDriver, profile and cookies)."""

    _instances = itertools.count(1)

    def __init__(
        self,
        config: Config,
        recorder: Recorder,
        test: str,
        story: str,
        user: str,
        timezone: str | None = None,
        javascript: bool = True,
    ):
        self.config = config
        self.recorder = recorder
        self.test = test
        self.story = story
        self.user = user
        self.timezone = timezone
        number = next(Browser._instances)  # keeps profile folders and driver logs apart
        profile = config.browser_dir / f"profile-{number:03d}-{slug(story)}-{user}"
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in (
            "--headless=new",
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
            f"--user-data-dir={profile}",
            "--lang=en-US",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--password-store=basic",
            "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
        ):
            options.add_argument(argument)
        if os.geteuid() == 0:
            options.add_argument("--no-sandbox")  # Chromium refuses to run as root with its sandbox
        prefs = {
            "intl.accept_languages": "en-US,en",
            "credentials_enable_service": False,
            "profile.password_manager_enabled": False,
        }
        options.add_experimental_option("prefs", prefs)
        # A dialog must stay open so that the suite sees it (the default would dismiss it quietly).
        options.unhandled_prompt_behavior = "ignore"
        # The console (errors, CSP reports) and the network (every document's response headers).
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        env = dict(os.environ)
        if timezone:
            env["TZ"] = timezone
        service = Service(
            executable_path=CHROMEDRIVER,
            log_output=str(config.browser_dir / f"chromedriver-{number:03d}-{user}.log"),
            env=env,
        )
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(30)
        self.driver.set_script_timeout(60)
        if timezone:
            self.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": timezone})
        self.javascript = javascript
        if not javascript:
            # The desk's only script is desk.js (its CSP allows no other): blocking it is a reader without
            # JavaScript, while WebDriver and axe can still look at the page.
            self.driver.execute_cdp_cmd("Network.enable", {})
            self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/desk/static/*.js"]})
        self.axe = Axe(self.driver, script_url=recorder.axe_path)
        self.last_page = ""

    # --- navigation -------------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.config.base_url + path

    @property
    def path(self) -> str:
        parsed = urlparse(self.driver.current_url)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")

    def go(self, path: str, page: str) -> "Browser":
        """Types an address, as a reader would, and checks the page that arrives."""
        self.driver.get(self.url(path))
        return self.arrived(page)

    def reload(self, page: str) -> "Browser":
        self.driver.refresh()
        return self.arrived(page)

    def _navigate(self, action, page: str) -> "Browser":
        """Runs `action` (a click) and waits for the next document: the old one carries a mark the new lacks."""
        mark = f"desk-{time.monotonic_ns()}"
        self.driver.execute_script("window.__deskMark = arguments[0];", mark)
        action()

        def new_document(driver):
            try:
                return driver.execute_script(
                    "return window.__deskMark !== arguments[0] && document.readyState === 'complete';", mark
                )
            except UnexpectedAlertPresentException:
                return True  # a dialog: arrived() reports it
            except WebDriverException:
                return False  # between two documents

        try:
            WebDriverWait(self.driver, 30, poll_frequency=0.1).until(new_document)
        except TimeoutException:
            raise AssertionError(f"{self.user}: no new page arrived after the click (still on {self.path})") from None
        return self.arrived(page)

    def click(self, element: WebElement | str, page: str) -> "Browser":
        """Clicks a link or a button that leads to another page."""
        target = self.find(element) if isinstance(element, str) else element
        return self._navigate(target.click, page)

    def submit(self, form: WebElement | str, page: str) -> "Browser":
        """Presses the form's submit button."""
        form = self.find(form) if isinstance(form, str) else form
        buttons = form.find_elements(By.CSS_SELECTOR, "button[type=submit], input[type=submit]")
        assert buttons, f"{self.user}: the form {describe(form)} has no submit button"
        return self._navigate(buttons[0].click, page)

    def arrived(self, page: str) -> "Browser":
        """Checks the page now shown: no dialog, a screenshot, axe, the console."""
        try:
            WebDriverWait(self.driver, 30).until(
                lambda d: d.execute_script("return document.readyState") == "complete"
            )
        except UnexpectedAlertPresentException:
            pass
        self.assert_no_dialog()
        self.last_page = page
        number = self.recorder.next_number()
        name = f"{number:03d}-{slug(self.story)}-{self.user}-{slug(page)}.png"
        self.screenshot(self.config.screenshots / name)
        self.recorder.visits += 1
        self.check_accessibility(page, name)
        self.collect_console(page, name)
        self.check_headers(page, name)
        return self

    def check_headers(self, page: str, screenshot: str) -> None:
        """Every desk document that arrived since the last look carries the security headers (a 303 too)."""
        try:
            entries = self.driver.get_log("performance")
        except WebDriverException:
            return
        responses = []
        for entry in entries:
            try:
                message = json.loads(entry["message"])["message"]
            except (KeyError, ValueError):
                continue
            params = message.get("params", {})
            if message.get("method") == "Network.responseReceived" and params.get("type") == "Document":
                responses.append(params["response"])
            elif message.get("method") == "Network.requestWillBeSent" and params.get("redirectResponse"):
                if params.get("type") == "Document":
                    responses.append(params["redirectResponse"])
        for response in responses:
            url = response.get("url", "")
            if not urlparse(url).path.startswith("/desk"):
                continue
            self.recorder.documents += 1
            headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
            wrong = [
                f"{name}: {headers.get(name.lower())!r}"
                for name, value in SECURITY_HEADERS.items()
                if headers.get(name.lower()) != value
            ]
            if response.get("status") == 200 and "no-store" not in headers.get("cache-control", ""):
                wrong.append(f"Cache-Control: {headers.get('cache-control')!r}")
            if wrong:
                self.recorder.findings.append(
                    Finding(
                        test=self.test,
                        story=self.story,
                        user=self.user,
                        page=page,
                        url=urlparse(url).path,
                        screenshot=screenshot,
                        kind="headers",
                        description=f"HTTP {response.get('status')} {urlparse(url).path} lacks: " + "; ".join(wrong),
                    )
                )

    def assert_no_dialog(self) -> None:
        try:
            alert = self.driver.switch_to.alert
            text = alert.text
        except NoAlertPresentException:
            return
        try:
            alert.accept()
        except WebDriverException:
            pass
        raise AssertionError(f"a dialog opened in {self.user}'s browser on {self.path}: {text!r}")

    def screenshot(self, path: Path) -> None:
        """The whole page, not only the window (at most 8000 px tall)."""
        try:
            metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            width = max(WINDOW[0], int(size["width"]))
            height = min(8000, max(WINDOW[1], int(size["height"])))
            shot = self.driver.execute_cdp_cmd(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                },
            )
            import base64

            path.write_bytes(base64.b64decode(shot["data"]))
        except WebDriverException:
            self.driver.save_screenshot(str(path))

    def check_accessibility(self, page: str, screenshot: str) -> None:
        self.axe.inject()
        results = self.axe.run()
        self.recorder.axe_rules.append(
            sum(len(results.get(key, [])) for key in ("passes", "violations", "incomplete"))
        )
        for violation in results.get("violations", []):
            nodes = [
                {
                    "target": " ".join(str(t) for t in node.get("target", [])),
                    "html": node.get("html", ""),
                    "summary": node.get("failureSummary", ""),
                }
                for node in violation.get("nodes", [])
            ]
            self.recorder.findings.append(
                Finding(
                    test=self.test,
                    story=self.story,
                    user=self.user,
                    page=page,
                    url=self.path,
                    screenshot=screenshot,
                    kind="axe",
                    rule=violation["id"],
                    impact=violation.get("impact") or "",
                    description=violation.get("help") or violation.get("description", ""),
                    help_url=violation.get("helpUrl", ""),
                    nodes=nodes,
                )
            )

    def collect_console(self, page: str, screenshot: str) -> None:
        try:
            entries = self.driver.get_log("browser")
        except WebDriverException:
            return
        for entry in entries:
            if entry.get("level") != "SEVERE":
                continue
            message = entry.get("message", "")
            if "favicon.ico" in message:
                continue
            # The page's own status (403, 409, ...) is reported as a failed load: the suite checks statuses itself.
            if message.startswith(self.driver.current_url.split("#")[0] + " - Failed to load resource"):
                continue
            self.recorder.findings.append(
                Finding(
                    test=self.test,
                    story=self.story,
                    user=self.user,
                    page=page,
                    url=self.path,
                    screenshot=screenshot,
                    kind="console",
                    description=message,
                )
            )

    # --- reading the page -------------------------------------------------------------------------------

    def find(self, css: str, within: WebElement | None = None) -> WebElement:
        root = within or self.driver
        try:
            return root.find_element(By.CSS_SELECTOR, css)
        except NoSuchElementException:
            raise AssertionError(
                f"{self.user} on {self.last_page} ({self.path}): no element {css!r}; "
                f"the page says: {self.visible_text()[:600]!r}"
            ) from None

    def finds(self, css: str, within: WebElement | None = None) -> list[WebElement]:
        return (within or self.driver).find_elements(By.CSS_SELECTOR, css)

    def has(self, css: str) -> bool:
        return bool(self.finds(css))

    def text(self, css: str) -> str:
        return self.find(css).text.strip()

    def visible_text(self) -> str:
        try:
            return self.driver.find_element(By.TAG_NAME, "body").text
        except WebDriverException:
            return ""

    def status(self) -> int | None:
        """The HTTP status of the page shown (Chromium's PerformanceNavigationTiming.responseStatus)."""
        return self.driver.execute_script(
            "const e = performance.getEntriesByType('navigation')[0]; return e ? e.responseStatus : null;"
        )

    def flash(self, kind: str) -> list[str]:
        return [e.text.strip() for e in self.finds(f".flash.{kind}")]

    def action_form(self, command: str) -> WebElement | None:
        forms = self.finds(f"form.action[data-command='{command}']")
        return forms[0] if forms else None

    def actions(self) -> list[str]:
        return [f.get_attribute("data-command") for f in self.finds("form.action[data-command]")]

    def fill(self, form: WebElement, name: str, value: str) -> None:
        """Types into a field as a person would (the old text selected and replaced)."""
        field_ = self.find(f"[name='{name}']", within=form)
        field_.clear()
        if value:
            field_.send_keys(value)
        actual = field_.get_attribute("value")
        if actual.replace("\r\n", "\n") != value:
            # Very long texts: put the rest in place through the DOM, as a paste would.
            self.driver.execute_script(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                field_,
                value,
            )

    def set_value(self, form: WebElement, name: str, value: str) -> None:
        """Sets a field through the DOM (date-time inputs, whose typing depends on the locale)."""
        field_ = self.find(f"[name='{name}']", within=form)
        self.driver.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            field_,
            value,
        )

    def value(self, form: WebElement, name: str) -> str:
        return self.find(f"[name='{name}']", within=form).get_attribute("value") or ""

    # --- session ----------------------------------------------------------------------------------------

    def sign_in(self, name: str | None = None, password: str | None = None, page: str = "desk") -> "Browser":
        """Opens the desk, is sent to the sign-in page, and signs in."""
        name = name or self.user
        self.go("/desk", "sign-in")
        assert self.path.startswith("/desk/sign-in"), f"/desk did not send {name} to sign-in but to {self.path}"
        form = self.find("form#sign-in")
        self.fill(form, "name", name)
        self.fill(form, "password", password if password is not None else self.config.password(name))
        return self.click("#sign-in-submit", page)

    def session_cookie(self) -> dict | None:
        return self.driver.get_cookie("copydesk_session")

    def fetch(self, path: str, method: str = "GET") -> tuple[int, dict, str]:
        """The raw response for `path` with this browser's cookies (for headers and statuses)."""
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        request = urllib.request.Request(self.url(path), method=method, headers={"Cookie": cookies})

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=15) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8", "replace")

    def quit(self) -> None:
        try:
            self.driver.quit()
        except WebDriverException:
            pass


def describe(element: WebElement) -> str:
    try:
        return element.get_attribute("outerHTML")[:160]
    except (WebDriverException, StaleElementReferenceException):
        return "<gone>"


ARTICLE_HREF = re.compile(r"/desk/articles/([0-9a-fA-F-]{36})")


def article_id(href: str) -> str:
    match = ARTICLE_HREF.search(href or "")
    assert match, f"not an article link: {href!r}"
    return match.group(1).lower()


class Cli:
    """`copydesk` on the suite's private database (direct mode: --as names the actor)."""

    def __init__(self, config: Config):
        self.config = config

    def run(self, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [self.config.copydesk, *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"copydesk {' '.join(args)} exited {result.returncode}: {result.stderr.strip() or result.stdout.strip()}"
            )
        return result

    def draft(self, author: str, title: str, body: str = "", lead: str = "", section: str = "City") -> str:
        args = ["draft", "--title", title, "--section", section, "--as", author]
        if lead:
            args += ["--lead", lead]
        if body:
            path = self.config.browser_dir / f"body-{time.monotonic_ns()}.txt"
            path.write_text(body, encoding="utf-8")
            args += ["--body-file", str(path)]
        return self.run(*args).stdout.strip().lower()

    def show(self, article: str) -> dict:
        return json.loads(self.run("show", article, "--json").stdout)

    def history(self, article: str) -> list:
        return json.loads(self.run("history", article, "--json").stdout)

    def add_user(self, name: str, role: str) -> None:
        self.run("user", "add", name, "--role", role)
        self.run("user", "password", name, stdin=self.config.password(name) + "\n")

    def has_subcommand(self, parent: str, name: str) -> bool:
        """Whether `copydesk PARENT --help` lists NAME among its subcommands (an unknown subcommand's --help
        prints the parent's help and exits 0, so that exit status says nothing)."""
        help_text = self.run(parent, "--help", check=False).stdout
        return re.search(rf"^\s+{re.escape(name)}\s", help_text.split("SUBCOMMANDS:", 1)[-1], re.M) is not None
