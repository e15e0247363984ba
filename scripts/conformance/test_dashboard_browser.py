"""The dashboard (`/` for a browser, `/__admin/ui`) in a real browser: Debian's headless Chromium driven by
Selenium through Debian's chromedriver. Skipped, saying so, where `chromium` or `chromedriver` is missing;
failed instead under CONFORMANCE_REQUIRE_ALL=1 (.ci/run installs both).

Every wait is generous and nothing is timed: a test waits for what the page shows, up to WAIT_SECONDS.
Screenshots of the main views go to $CONFORMANCE_ARTIFACTS/dashboard (default
.build/conformance-artifacts/dashboard).
"""

from __future__ import annotations

import os
import re
import socket
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from openrouter import OpenRouter
from portkey_ai import Portkey

from conftest import OPENROUTER_MANAGEMENT_KEY, PORTKEY_ADMIN_KEY, REPO_ROOT, MockServer, require_tool

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

WAIT_SECONDS = 30
ARTIFACTS = Path(os.environ.get("CONFORMANCE_ARTIFACTS", REPO_ROOT / ".build" / "conformance-artifacts")) / "dashboard"


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    chromium = require_tool("chromium", "chromium")
    chromedriver = require_tool("chromedriver", "chromium-driver")
    options = Options()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1000",
                     "--force-color-profile=srgb", "--hide-scrollbars"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: WebDriver, condition, message: str):
    return WebDriverWait(driver, WAIT_SECONDS, poll_frequency=0.1).until(lambda d: condition(d), message)


def feed_rows(driver: WebDriver) -> list[list[str]]:
    """The feed's visible rows, newest first, as their cells' text."""
    rows = driver.find_elements(By.CSS_SELECTOR, "#feed tbody tr")
    return [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")] for row in rows]


def open_dashboard(driver: WebDriver, mock_server: MockServer, path: str = "/") -> None:
    driver.get(mock_server.base_url + path)
    wait_for(driver, lambda d: d.find_element(By.ID, "connection").text == "live", "the feed never connected")
    # The initial loads are done once the commands carry the keys.
    wait_for(driver, lambda d: OPENROUTER_MANAGEMENT_KEY in d.find_element(By.ID, "commands").text,
             "the commands never showed the keys")


def filter_namespace(driver: WebDriver, namespace: str) -> None:
    wait_for(driver, lambda d: namespace in [o.get_attribute("value") for o in
                                             Select(d.find_element(By.ID, "filter-namespace")).options],
             f"namespace {namespace} never appeared in the feed's filter")
    Select(driver.find_element(By.ID, "filter-namespace")).select_by_value(namespace)


def screenshot(driver: WebDriver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def test_sdk_and_curl_requests_appear_in_the_feed(browser: WebDriver, mock_server: MockServer,
                                                   namespace: str) -> None:
    open_dashboard(browser, mock_server)
    OpenRouter(api_key=OPENROUTER_MANAGEMENT_KEY, server_url=mock_server.openrouter_url).workspaces.list(
        limit=3, http_headers={"X-Mock-Namespace": namespace})
    http_client = httpx.Client(base_url=mock_server.portkey_url, headers={"X-Mock-Namespace": namespace}, timeout=30)
    Portkey(api_key=PORTKEY_ADMIN_KEY, base_url=mock_server.portkey_url, http_client=http_client
            ).admin.workspaces.list(page_size=2, current_page=0)
    # curl's request line, headers and all, and a miss (a wrong base URL).
    httpx.get(f"{mock_server.base_url}/api/v1/workspaces?offset=0&limit=1",
              headers={"Authorization": f"Bearer {OPENROUTER_MANAGEMENT_KEY}", "User-Agent": "curl/8.5.0",
                       "Accept": "*/*", "X-Mock-Namespace": namespace})
    httpx.get(f"{mock_server.base_url}/api/workspaces", headers={"X-Mock-Namespace": namespace})
    filter_namespace(browser, namespace)
    wait_for(browser, lambda d: len(feed_rows(d)) == 4, "the four requests never appeared")
    rows = feed_rows(browser)
    assert [(row[1], row[2], row[3]) for row in rows] == [
        (namespace, "GET", "/api/workspaces"),
        (namespace, "GET", "/api/v1/workspaces?offset=0&limit=1"),
        (namespace, "GET", "/v1/admin/workspaces?pageSize=2&currentPage=0"),
        (namespace, "GET", "/api/v1/workspaces?offset=0&limit=3"),
    ]
    assert rows[0][4] == "404 miss" and rows[0][5] == "no route: wrong base URL or method?"
    assert [row[4] for row in rows[1:]] == ["200", "200", "200"]
    assert "miss" in browser.find_elements(By.CSS_SELECTOR, "#feed tbody tr")[0].get_attribute("class")
    # The key as the journal shows it, not as sent.
    assert OPENROUTER_MANAGEMENT_KEY not in rows[1][6]
    screenshot(browser, "feed")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                            {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    screenshot(browser, "feed-dark")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    browser.find_elements(By.CSS_SELECTOR, "#feed tbody tr")[2].click()
    detail = wait_for(browser, lambda d: d.find_element(By.ID, "detail").text, "no detail shown")
    assert "/v1/admin/workspaces?pageSize=2&currentPage=0" in detail and "currentPage" in detail
    screenshot(browser, "request")


def test_pause_holds_new_requests_until_resumed(browser: WebDriver, mock_server: MockServer,
                                                namespace: str) -> None:
    open_dashboard(browser, mock_server)
    browser.find_element(By.ID, "pause").click()
    httpx.get(f"{mock_server.base_url}/api/v1/workspaces?limit=1", headers={
        "Authorization": f"Bearer {OPENROUTER_MANAGEMENT_KEY}", "X-Mock-Namespace": namespace})
    wait_for(browser, lambda d: d.find_element(By.ID, "paused-note").text == "Paused: 1 new request(s) waiting.",
             "the paused page never counted the request")
    assert feed_rows(browser) == []
    browser.find_element(By.ID, "pause").click()
    filter_namespace(browser, namespace)
    wait_for(browser, lambda d: [row[3] for row in feed_rows(d)] == ["/api/v1/workspaces?limit=1"],
             "the held request never appeared on resume")


def test_the_page_never_polls(browser: WebDriver, mock_server: MockServer) -> None:
    """The page asks for each thing once (the stream and the initial loads), then, idle, sends nothing: the
    access log gains no line in a quiet stretch."""
    log = mock_server.stderr_path
    start = len(log.read_text(errors="replace").splitlines())
    open_dashboard(browser, mock_server, "/__admin/ui")
    time.sleep(0.5)  # the access log is written in batches, a few milliseconds late
    loaded = len(log.read_text(errors="replace").splitlines())
    time.sleep(5)  # the one wait that is the point: a page polling at any period under 5 s shows here
    lines = log.read_text(errors="replace").splitlines()
    assert lines[loaded:] == []
    targets = [match.group(1) for line in lines[start:loaded] if (match := re.search(r" GET (\S+) ", line))]
    assert len(targets) == len(set(targets)), f"asked more than once: {targets}"
    assert all(target.startswith("/__admin/") for target in targets)


def test_a_fault_added_through_the_form_fails_the_next_request_and_reset_clears_it(
        browser: WebDriver, mock_server: MockServer, namespace: str) -> None:
    # The namespace exists once used.
    httpx.get(f"{mock_server.base_url}/api/v1/workspaces", headers={
        "Authorization": f"Bearer {OPENROUTER_MANAGEMENT_KEY}", "X-Mock-Namespace": namespace})
    open_dashboard(browser, mock_server)
    wait_for(browser, lambda d: namespace in [o.get_attribute("value") for o in
                                              Select(d.find_element(By.ID, "namespace")).options],
             "the namespace never appeared in the selector")
    Select(browser.find_element(By.ID, "namespace")).select_by_value(namespace)
    wait_for(browser, lambda d: f"namespace {namespace}" in d.find_element(By.ID, "store-namespace").text,
             "the store never switched namespace")
    wait_for(browser, lambda d: "OpenRouter workspaces (" in d.find_element(By.ID, "store").text, "no store")
    form = browser.find_element(By.ID, "fault-form")
    Select(form.find_element(By.NAME, "vendor")).select_by_value("openrouter")
    form.find_element(By.NAME, "method").send_keys("GET")
    form.find_element(By.NAME, "path").send_keys("/api/v1/workspaces")
    Select(form.find_element(By.NAME, "status")).select_by_value("429")
    form.find_element(By.NAME, "times").send_keys("1")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#faults tbody tr")) == 1, "no rule listed")
    assert browser.find_element(By.ID, "fault-error").text == ""
    rules = mock_server.admin("GET", "faults", namespace).json()["faults"]
    assert [(r["vendor"], r["method"], r["path"], r["status"], r["times"]) for r in rules] == [
        ("openrouter", "GET", "/api/v1/workspaces", 429, 1)]
    screenshot(browser, "faults")
    answer = httpx.get(f"{mock_server.base_url}/api/v1/workspaces", headers={
        "Authorization": f"Bearer {OPENROUTER_MANAGEMENT_KEY}", "X-Mock-Namespace": namespace})
    assert answer.status_code == 429
    filter_namespace(browser, namespace)
    wait_for(browser, lambda d: any(row[4] == "429" for row in feed_rows(d)), "the 429 never appeared")

    # Remove through the button, add again, then reset the namespace: no rule, store back to the seed.
    browser.find_element(By.CSS_SELECTOR, "#faults tbody button").click()
    wait_for(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, "#faults tbody tr"), "rule not removed")
    assert mock_server.admin("GET", "faults", namespace).json()["faults"] == []
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#faults tbody tr")) == 1, "no rule listed")
    browser.find_element(By.ID, "reset").click()
    wait_for(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, "#faults tbody tr"), "reset left the rule")
    assert mock_server.admin("GET", "faults", namespace).json()["faults"] == []
    screenshot(browser, "store")


def raw_request(mock_server: MockServer, request_line: str, *headers: str) -> bytes:
    """Sends bytes as written (no client escapes `<` in a path) and returns the whole answer."""
    host, port = mock_server.base_url.removeprefix("http://").split(":")
    head = "\r\n".join([request_line, f"Host: {host}:{port}", *headers, "Connection: close", "", ""])
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(head.encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_hostile_request_contents_are_shown_as_text_and_run_nothing(
        browser: WebDriver, mock_server: MockServer, namespace: str) -> None:
    open_dashboard(browser, mock_server)
    path = "/api/v1/workspaces/<script>window.__pwned=1</script>"
    query = "q=<img/src=x/onerror=window.__pwned=3>"
    header = '"><img src=x onerror="window.__pwned=2">'
    answer = raw_request(mock_server, f"GET {path}?{query} HTTP/1.1",
                         f"Authorization: Bearer {OPENROUTER_MANAGEMENT_KEY}", f"X-Mock-Namespace: {namespace}",
                         f"X-Note: {header}")
    assert answer.startswith(b"HTTP/1.1 404 ")
    filter_namespace(browser, namespace)
    wait_for(browser, lambda d: len(feed_rows(d)) == 1, "the hostile request never appeared")
    assert feed_rows(browser)[0][3] == f"{path}?q=%3Cimg%2Fsrc%3Dx%2Fonerror%3Dwindow.__pwned%3D3%3E"
    browser.find_element(By.CSS_SELECTOR, "#feed tbody tr").click()
    detail = wait_for(browser, lambda d: d.find_element(By.ID, "detail").text, "no detail shown")
    assert header in detail and "<img/src=x/onerror=window.__pwned=3>" in detail and path in detail
    assert browser.find_elements(By.CSS_SELECTOR, "#feed img, #detail img, #feed script, #detail script") == []
    assert browser.execute_script("return window.__pwned") is None
    screenshot(browser, "hostile")
