"""Playwright against Debian's chromium and pytest-django's live server.

Every test in this folder is marked ``browser`` and runs against ``live_server``
(so with ``transactional_db``: the server thread must see the rows the test writes).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

# Playwright's sync API keeps an event loop running in the test thread, which makes
# Django refuse ORM calls from fixtures and factories there. The test thread only
# writes fixtures; requests are served by the live server's own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "vendor" / "axe.min.js"
PASSWORD = "mat-khau-thu-nghiem"
ADMIN_PASSWORD = "mat-khau-quan-tri"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Chromium from Debian: Playwright's own download does not work on these machines.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items: mark only the ones in this folder.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    # Relative page.goto("/campaigns/") then reaches the live server. Defining it here
    # also replaces pytest-playwright's fallback fixture, a plugin instance method that
    # pytest 9 deprecates (an error under ``filterwarnings = error``).
    return str(live_server.url)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture(autouse=True)
def _browser_test(live_server: Any, page: Page) -> Iterator[None]:
    """Every browser test gets the live server (hence ``transactional_db``).

    Static files need nothing here: pytest-django's live server wraps the app in
    staticfiles' handler, which serves them through the finders.

    The test also fails if the browser refused anything under the Content Security
    Policy (an inline script or style, an ``on*=``/``hx-on`` handler, an eval):
    chromium reports each refusal on the console, on every page of the context.
    """
    page.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)
    refused: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # A refusal caused by the page (its HTML or its scripts) carries the document's
        # or the script's URL; code the test itself evaluates over the DevTools protocol
        # (axe-core, which adds <style>@import</style> copies of stylesheets with
        # @import rules to read them) carries none and is not the app's doing.
        if "Content Security Policy" in message.text and message.location.get("url"):
            refused.append(f"{message.location['url']}: {message.text}")

    page.context.on("console", on_console)
    yield
    page.context.remove_listener("console", on_console)
    assert not refused, "Content Security Policy violation(s):\n" + "\n".join(refused)


def login(page: Page, live_server: Any, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would, and wait for the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the current page for WCAG 2.1 A and AA rules."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as an inline <script> tag
        # (add_script_tag), which the Content Security Policy would refuse.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        WCAG_TAGS,
    )
    return list(result)


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}  — {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, (
        f"axe found {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}:\n"
        + format_violations(violations)
    )
