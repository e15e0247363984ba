"""Both official SDKs over HTTPS (issue 8), trusting the certificate the mock makes at start-up.

Needs the TLS build (`swift build --traits TLS --scratch-path .build-tls`, as .ci/run does); skipped,
with the reason, when it is missing. Starts its own `gateway-mock --tls --tls-ca-out` and points the SDKs'
HTTP client (httpx) at the written certificate through SSL_CERT_FILE, as a user would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest
from openrouter import OpenRouter
from portkey_ai import Portkey

from conftest import OPENROUTER_MANAGEMENT_KEY, PORTKEY_ADMIN_KEY, REPO_ROOT, load_seed

TLS_BINARY = Path(os.environ.get("GATEWAY_MOCK_TLS_BIN", REPO_ROOT / ".build-tls" / "debug" / "gateway-mock"))


@pytest.fixture(scope="module")
def https_mock(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[str]:
    if not TLS_BINARY.exists():
        pytest.skip(f"no TLS build at {TLS_BINARY} (swift build --traits TLS --scratch-path .build-tls)")
    with tempfile.TemporaryDirectory(prefix="gm-https-") as directory:
        port_file = Path(directory) / "port"
        ca_file = Path(directory) / "ca.pem"
        process = subprocess.Popen(
            [str(TLS_BINARY), "--port", "0", "--port-file", str(port_file), "--tls", "--tls-ca-out", str(ca_file),
             "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = process.stdout.readline() if process.stdout else ""
        assert line.startswith("gateway-mock listening on https://127.0.0.1:"), line
        assert ca_file.read_text().startswith("-----BEGIN CERTIFICATE-----")
        monkeypatch_module.setenv("SSL_CERT_FILE", str(ca_file))
        try:
            yield f"https://localhost:{port_file.read_text().strip()}"
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=15) == 0


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_openrouter_sdk_walks_every_page_over_https(https_mock: str) -> None:
    client = OpenRouter(api_key=OPENROUTER_MANAGEMENT_KEY, server_url=f"{https_mock}/api/v1")
    page = client.workspaces.list(limit=50)
    ids: list[str] = []
    while page is not None:
        ids += [workspace.id for workspace in page.result.data]
        page = page.next()
    assert ids == [record["id"] for record in load_seed("openrouter")]


def test_portkey_sdk_lists_and_filters_over_https(https_mock: str) -> None:
    client = Portkey(api_key=PORTKEY_ADMIN_KEY, base_url=f"{https_mock}/v1")
    client.max_retries = 0
    result = client.admin.workspaces.list(page_size=100, status="archived")
    expected = [record["name"] for record in load_seed("portkey") if record["status"] == "archived"]
    assert result.total == len(expected)
    assert [workspace.name for workspace in result.data] == expected
