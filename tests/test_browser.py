"""What people see, in a real browser: Debian's headless Chromium driven by its chromedriver opens
the HTML views, a `kg show` page and the query page of `kg serve`, and the tests read the DOM.

`.ci/run` installs chromium and chromium-driver when they are missing; elsewhere the tests are
skipped without them. With KG_SCREENSHOTS=FOLDER set (`make screenshots`), each page is saved as
a PNG there, for the README.
"""

import os
import shutil
import time
from pathlib import Path

import pytest

from kg.files import write_atomic

from .conftest import ROOT, SAMPLE, serving

GOLDEN = ROOT / "tests" / "golden" / "sample.nt"
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver are missing: .ci/run installs them")
        pytest.skip("no chromium/chromedriver on this machine (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1400,1000", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait_for(driver, script: str, seconds: float = 20):
    """The value of `script` (JavaScript returning something) once it is truthy."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"still false after {seconds} s: {script}")


def screenshot(driver, name: str) -> None:
    folder = os.environ.get("KG_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def loaded_from_the_web(driver) -> list[str]:
    return driver.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name).filter(n => /^https?:/.test(n) && !n.includes('127.0.0.1'))")


def test_investment_view_shows_kinds_amounts_and_the_conflict(browser, tmp_path):
    from kg.query import load_graph
    from kg.views import make_view, write_view

    page = tmp_path / "investments.html"
    write_view(make_view(load_graph(GOLDEN), "investments"), page, title="Investments in the sample")
    browser.get(page.as_uri())
    view = wait_for(browser, "return window.investKgView && window.investKgView.nodes.length")
    assert view == 3
    legend = [li.get_attribute("data-kind") for li in browser.find_elements("css selector", "#legend li")]
    assert legend == ["organisation", "place", "conflict"]
    edges = browser.execute_script("return window.investKgView.edges.get().map(e => [e.label, e.dashes])")
    # an arrow per pair of nodes, a line per claim: the two sources that agree on euros counted, the dollars apart
    assert sorted(edges) == [["equity stake ×2", False], ["⚠ 4 bn EUR ×2\n⚠ 4 bn USD", True]]
    sizes = browser.execute_script("return Object.fromEntries(window.investKgView.nodes.get().map(n => [n.label, n.value]))")
    assert sizes["Microsoft"] > sizes["France"] > sizes["Mistral AI"]  # by mentions
    assert browser.find_element("css selector", "h1").text == "Investments in the sample"
    assert browser.find_elements("css selector", "#network canvas")
    assert loaded_from_the_web(browser) == []
    time.sleep(1.5)  # the layout settles
    screenshot(browser, "view-investments")


def test_entity_view_colours_people_places_and_organisations(browser, tmp_path):
    from kg.query import load_graph
    from kg.views import make_view, write_view

    page = tmp_path / "entities.html"
    write_view(make_view(load_graph(GOLDEN), "entities"), page)
    browser.get(page.as_uri())
    wait_for(browser, "return window.investKgView && window.investKgView.nodes.length")
    colours = browser.execute_script("return Object.fromEntries(window.investKgView.nodes.get().map(n => [n.label, n.color]))")
    assert colours["Microsoft"] == colours["Mistral AI"] != colours["Paris"] != colours["Brad Smith"]
    legend = {li.text for li in browser.find_elements("css selector", "#legend li")}
    assert {"organisation", "place", "person"} <= legend
    time.sleep(1.5)
    screenshot(browser, "view-entities")


def test_show_page_marks_mentions_and_lists_facts_with_evidence(browser, tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    page = tmp_path / "it.html"
    result = CliRunner().invoke(app, ["show", str(SAMPLE / "it-microsoft-francia.txt"), "-o", str(page)])
    assert result.exit_code == 0, result.output
    browser.get(page.as_uri())
    marks = browser.execute_script(
        "return [...document.querySelectorAll('#text mark')].map(m => [m.firstChild.textContent, m.dataset.kind])")
    assert ["Brad Smith", "person"] in marks and ["Mistral AI", "organisation"] in marks
    assert ["4 miliardi di dollari", "AMOUNT"] in marks and ["Marsiglia", "place"] in marks
    facts = browser.find_elements("css selector", "#facts .fact")
    kinds = [fact.find_element("css selector", "h3").text for fact in facts]
    assert kinds[:2] == ["capital expenditure", "equity stake"] and "commitment" in kinds
    first = facts[0]
    assert "4,000,000,000 USD" in first.text and "sources disagree on currency" not in first.text  # one document
    assert first.find_elements("css selector", ".evidence mark[data-kind=place]")
    legend = {li.text for li in browser.find_elements("css selector", "#legend li")}
    assert {"organisation", "place", "person", "amount"} <= legend
    assert loaded_from_the_web(browser) == []
    screenshot(browser, "show-document")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    from kg.serve import make_app

    graph = tmp_path_factory.mktemp("serve") / "sample.nt"
    write_atomic(graph, GOLDEN.read_bytes())
    with serving(make_app(graph)) as url:
        yield url


def test_query_page_runs_a_canned_query_into_a_table(browser, endpoint):
    browser.get(f"{endpoint}/")
    buttons = {b.text: b for b in browser.find_elements("css selector", "#canned button")}
    assert {"investments", "acquisitions", "roles", "entities"} <= set(buttons)
    buttons["investments"].click()
    wait_for(browser, "return document.querySelectorAll('#results tr').length > 1")
    header = [th.text for th in browser.find_elements("css selector", "#results th")]
    assert header[:5] == ["investment", "kind", "investors", "targetName", "value"]
    rows = [[td.text for td in tr.find_elements("css selector", "td")] for tr in browser.find_elements("css selector", "#results tr")[1:]]
    assert ["capital expenditure", "Microsoft", "France", "4,000,000,000", "USD"] in [row[1:6] for row in rows]
    assert rows[0][0].startswith("kgr:investment/")  # IRIs compacted
    assert browser.find_element("css selector", "#status").text.startswith(f"{len(rows)} rows")
    assert browser.current_url == f"{endpoint}/"  # the answer is shown in the page, not instead of it
    screenshot(browser, "query-page")
    text = browser.find_element("css selector", "#query")
    text.clear()
    text.send_keys("SELECT WHERE {")
    browser.find_element("css selector", "#run").click()
    wait_for(browser, "return document.querySelector('#status').className === 'error'")
    assert "SPARQL error" in browser.find_element("css selector", "#status").text
    assert loaded_from_the_web(browser) == []
