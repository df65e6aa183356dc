"""The FY2024 web edition in a real browser: headless Chromium (Debian's chromium and chromium-driver),
axe-core (npm, tests/browser) at WCAG 2.1 AA, keyboard order, and the layout at a phone's and a desktop's width.

What these tests need is installed by .ci/run; where something is missing they fail and say what to install.
Screenshots are written to /tmp/kodomo-web-screenshots for a person to look at.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.web_support import build_fy2024

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path("/tmp/kodomo-web-screenshots")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _require() -> None:
    missing = [f"{p} (apt-get install -y chromium chromium-driver)" for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not AXE.exists():
        missing.append(f"{AXE} (npm ci --prefix tests/browser)")
    try:
        import selenium  # noqa: F401  (only whether it is installed)
    except ImportError:
        missing.append("selenium (uv sync: the dev dependency group)")
    if missing:
        pytest.fail("the browser tests need: " + "; ".join(missing), pytrace=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("web")
    names = build_fy2024(out)
    return out, [n for n in names if n.endswith(".html")]


@pytest.fixture(scope="module")
def browser():
    _require()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(120)
    yield driver
    driver.quit()


def _axe(driver) -> list[dict]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations), e => done([{id: 'axe failed', help: String(e), nodes: []}]));",
        WCAG_AA,
    )
    return list(result)


def _summary(violations: list[dict]) -> str:
    return json.dumps(
        [{"id": v["id"], "help": v["help"], "nodes": [n.get("target") for n in v["nodes"][:5]]} for v in violations],
        ensure_ascii=False,
        indent=1,
    )


def test_axe_reports_no_violation_on_any_page(browser, site):
    out, pages = site
    assert len(pages) == 5  # the index and one page per 基本施策
    for width in (1280, 375):
        browser.set_window_size(width, 900)
        for page in pages:
            browser.get((out / page).as_uri())
            violations = _axe(browser)
            assert violations == [], f"{page} at {width}px:\n{_summary(violations)}"


def test_keyboard_order_starts_with_the_skip_link_and_follows_the_contents(browser, site):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    out, _ = site
    browser.set_window_size(1280, 900)
    browser.get((out / "index.html").as_uri())
    toc = browser.execute_script(
        "return [...document.querySelectorAll('nav[aria-labelledby=toc-title] a')].map(a => a.getAttribute('href'))"
    )
    visited = []
    for _ in range(len(toc) + 3):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        visited.append(
            browser.execute_script(
                "const e = document.activeElement; return e.getAttribute('href') || e.getAttribute('role') || e.tagName"
            )
        )
    assert visited[0] == "#main", visited[:3]
    assert visited[1 : 1 + len(toc)] == toc
    assert visited[1 + len(toc)] == "region"  # then the coverage table's scrolling region

    # the skip link moves the focus to the main content
    browser.get((out / "policy-2.html").as_uri())
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.execute_script("return document.activeElement.textContent") == "本文へ移動"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.execute_script("return document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [375, 1280])
def test_pages_fit_the_width_without_sideways_scrolling(browser, site, width):
    out, pages = site
    folder = SCREENSHOTS / str(width)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    browser.set_window_size(width, 900)
    for page in pages:
        browser.get((out / page).as_uri())
        inner, scroll = browser.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
        assert inner <= width
        assert scroll <= inner, f"{page} at {width}px scrolls sideways ({scroll} > {inner})"
        browser.save_screenshot(str(folder / page.replace(".html", ".png")))
    # further down a long page: the program tables (cards on a phone)
    browser.get((out / "policy-2.html").as_uri() + "#p2-s1-m1")
    browser.save_screenshot(str(folder / "policy-2-table.png"))
    display = browser.execute_script("return getComputedStyle(document.querySelector('table.programs tr')).display")
    assert display == ("block" if width == 375 else "table-row")  # on a phone, a card per program
    browser.get((out / "index.html").as_uri() + "#coverage-title")
    browser.save_screenshot(str(folder / "index-coverage.png"))
