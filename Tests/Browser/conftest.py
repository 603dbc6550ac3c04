"""Fixtures for the desk's browser suite (run it with deploy/desk-check)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from desk import ROLES, Browser, Cli, Config, Recorder

_recorder: Recorder | None = None


@pytest.fixture(scope="session")
def config() -> Config:
    return Config.from_environment()


@pytest.fixture(scope="session")
def recorder(config: Config) -> Recorder:
    global _recorder
    _recorder = Recorder(config)
    return _recorder


@pytest.fixture(scope="session")
def cli(config: Config) -> Cli:
    return Cli(config)


class Desk:
    """What one test uses: browsers for its users (each a separate WebDriver) and the CLI."""

    def __init__(self, config: Config, recorder: Recorder, cli: Cli, test: str, story: str):
        self.config = config
        self.recorder = recorder
        self.cli = cli
        self.test = test
        self.story = story
        self.browsers: list[Browser] = []

    def browser(self, user: str, *, sign_in: bool = True, timezone: str | None = None, javascript: bool = True) -> Browser:
        browser = Browser(self.config, self.recorder, self.test, self.story, user, timezone=timezone, javascript=javascript)
        self.browsers.append(browser)
        if sign_in:
            browser.sign_in()
            whoami = browser.text("#whoami")
            role = ROLES.get(user)
            assert user in whoami and (role is None or role in whoami), f"#whoami says {whoami!r} for {user}"
        return browser

    def close(self) -> None:
        for browser in self.browsers:
            browser.quit()


@pytest.fixture
def desk(request, config: Config, recorder: Recorder, cli: Cli):
    marker = request.node.get_closest_marker("story")
    story = marker.args[0] if marker else request.node.name.removeprefix("test_")
    desk = Desk(config, recorder, cli, request.node.nodeid, story)
    yield desk
    desk.close()
    failing = recorder.failing(request.node.nodeid)
    if failing:
        report = "\n\n".join(f.describe() for f in failing)
        pytest.fail(
            f"{len(failing)} serious or critical accessibility violation(s) (axe) or missing security headers "
            f"on the pages this story visited:\n\n{report}",
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    recorder = _recorder
    if recorder is None:
        return
    write = terminalreporter.write_line
    out = []
    axe = [f for f in recorder.findings if f.kind == "axe"]
    console = [f for f in recorder.findings if f.kind == "console"]
    terminalreporter.section("desk: pages, accessibility, console")
    write(f"{recorder.visits} page visits screenshot and checked with axe-core {recorder.axe_version} "
          f"({recorder.axe_path})")
    if recorder.axe_rules:
        write(f"axe applied {min(recorder.axe_rules)} to {max(recorder.axe_rules)} rules per page")
    write(f"screenshots: {recorder.config.screenshots}/")
    by_rule: dict[tuple[str, str], list] = defaultdict(list)
    for finding in axe:
        by_rule[(finding.impact, finding.rule)].append(finding)
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    if by_rule:
        write("axe violations by rule (serious and critical fail the story; the others are listed for a person):")
        for (impact, rule), findings in sorted(by_rule.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0][1])):
            pages = sorted({f.page for f in findings})
            write(f"  [{impact}] {rule}: {findings[0].description} -- on {len(findings)} visit(s): {', '.join(pages)}")
            out.append(findings[0].describe())
    else:
        write("axe: no violation at all")
    headers = [f for f in recorder.findings if f.kind == "headers"]
    if headers:
        write(f"responses without the security headers ({len(headers)}):")
        for finding in headers:
            write("  " + finding.describe())
    else:
        write(f"all {recorder.documents} desk documents received (pages, redirects, error pages) carried the security headers")
    if console:
        write(f"browser console errors ({len(console)}):")
        seen = set()
        for finding in console:
            key = (finding.page, finding.description)
            if key in seen:
                continue
            seen.add(key)
            write("  " + finding.describe())
    report = recorder.config.screenshots / "axe-report.txt"
    report.write_text(
        "\n\n".join(f.describe() for f in axe) + ("\n\nconsole:\n" + "\n".join(f.describe() for f in console) if console else "") + "\n",
        encoding="utf-8",
    )
    write(f"every violation, with its elements: {report}")
