"""Shared fixtures: one gateway-mock process for the whole session, a control-plane client, and a
fresh X-Mock-Namespace for every test, so tests never see each other's fault rules or journal.

The binary is the one `swift build` produced: $GATEWAY_MOCK_BIN when set (run.sh sets it), otherwise
`swift build --show-bin-path`/gateway-mock. The suite does not build it; it stops with a clear message
when it is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "seed-data"
SPEC_DIR = REPO_ROOT / "scripts" / "conformance" / "spec"

# The default keys, read from seed-data/keys.json rather than written here: Hypothesis draws string
# constants from the test modules' source when it generates data, so a literal admin key in this file
# would now and then be sent by Schemathesis in the runs meant to have no valid key.
with open(SEED_DIR / "keys.json", encoding="utf-8") as _keys_file:
    _KEYS = json.load(_keys_file)
OPENROUTER_MANAGEMENT_KEY = _KEYS["openrouter"]["management"][0]
OPENROUTER_INFERENCE_KEY = _KEYS["openrouter"]["inference"][0]
PORTKEY_ADMIN_KEY = _KEYS["portkey"]["admin"][0]
PORTKEY_WORKSPACE_KEY = _KEYS["portkey"]["workspace"][0]

STARTUP_TIMEOUT_SECONDS = 30.0
SHUTDOWN_TIMEOUT_SECONDS = 15.0


# MARK: - Environment


def pytest_configure(config: pytest.Config) -> None:
    # Both SDKs fall back to these variables when no key is given: a developer's real key must not
    # turn the missing-key tests into something else.
    for name in ("OPENROUTER_API_KEY", "PORTKEY_API_KEY"):
        os.environ.pop(name, None)
    # httpx and requests honour proxy variables; the mock is on loopback.
    for name in ("NO_PROXY", "no_proxy"):
        entries = [e for e in os.environ.get(name, "").split(",") if e]
        os.environ[name] = ",".join(entries + ["127.0.0.1", "localhost"])


def load_seed(vendor: str) -> list[dict[str, Any]]:
    """The seed store's workspaces for `vendor`, in the order the mock serves them."""
    with open(SEED_DIR / vendor / "workspaces.json", encoding="utf-8") as handle:
        return json.load(handle)


# MARK: - The server process


def _binary() -> Path:
    explicit = os.environ.get("GATEWAY_MOCK_BIN")
    if explicit:
        path = Path(explicit)
    else:
        try:
            bin_dir = subprocess.run(
                ["swift", "build", "--show-bin-path"],
                cwd=REPO_ROOT, check=True, capture_output=True, text=True, timeout=120,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError) as error:
            pytest.exit(f"cannot locate gateway-mock ({error}); set GATEWAY_MOCK_BIN or run "
                        "scripts/conformance/run.sh", returncode=3)
        path = Path(bin_dir) / "gateway-mock"
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.exit(f"gateway-mock is not built ({path} is missing): run `swift build` first, or "
                    "scripts/conformance/run.sh, which builds it", returncode=3)
    return path


@dataclass(frozen=True)
class MockServer:
    """A running gateway-mock: its addresses and its control plane (`/__admin/`)."""

    base_url: str
    stderr_path: Path

    @property
    def openrouter_url(self) -> str:
        """What the OpenRouter SDK takes as server_url."""
        return f"{self.base_url}/api/v1"

    @property
    def portkey_url(self) -> str:
        """What the Portkey SDK takes as base_url."""
        return f"{self.base_url}/v1"

    def admin(self, method: str, path: str, namespace: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = {"X-Mock-Namespace": namespace} if namespace else {}
        response = httpx.request(method, f"{self.base_url}/__admin/{path}", headers=headers, timeout=10, **kwargs)
        assert response.status_code < 300, f"{method} /__admin/{path}: {response.status_code} {response.text}"
        return response

    def add_fault(self, namespace: str, **rule: Any) -> dict[str, Any]:
        """Adds a fault rule (`vendor`, `status`, `times`, `delay_ms`, `fault`) to `namespace`."""
        return self.admin("POST", "faults", namespace, json=rule).json()

    def journal(self, namespace: str, vendor: str) -> list[dict[str, Any]]:
        """The vendor requests `namespace` has seen, oldest first."""
        return self.admin("GET", "requests", namespace, params={"vendor": vendor}).json()["requests"]


@pytest.fixture(scope="session")
def mock_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockServer]:
    """Starts gateway-mock on port 0, yields it once it listens, and SIGTERMs it at the end of the
    session, which must exit 0."""
    binary = _binary()
    workdir = tmp_path_factory.mktemp("gateway-mock")
    port_file, stdout_path, stderr_path = workdir / "port", workdir / "stdout", workdir / "stderr"
    with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(
            [str(binary), "--port", "0", "--port-file", str(port_file)],
            stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
        )

    def stderr_tail() -> str:
        return "\n".join(stderr_path.read_text(errors="replace").splitlines()[-20:])

    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None:
                pytest.exit(f"gateway-mock exited with status {process.returncode} before listening:\n"
                            f"{stderr_tail()}", returncode=3)
            port_text = port_file.read_text() if port_file.exists() else ""
            stdout_text = stdout_path.read_text()
            if port_text.endswith("\n") and stdout_text.endswith("\n"):
                break
            if time.monotonic() > deadline:
                pytest.exit(f"gateway-mock did not start listening within {STARTUP_TIMEOUT_SECONDS:.0f}s:\n"
                            f"{stderr_tail()}", returncode=3)
            time.sleep(0.02)
        port = int(port_text)
        base_url = f"http://127.0.0.1:{port}"
        assert stdout_text == f"gateway-mock listening on {base_url}\n"
        yield MockServer(base_url=base_url, stderr_path=stderr_path)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=SHUTDOWN_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                pytest.fail(f"gateway-mock did not stop within {SHUTDOWN_TIMEOUT_SECONDS:.0f}s of SIGTERM")
    assert process.returncode == 0, f"gateway-mock exited {process.returncode} on SIGTERM:\n{stderr_tail()}"


# MARK: - Clients that are not Python


def require_tool(command: str, package: str) -> str:
    """The path of `command` (`node`, `java`). When it is missing the test is skipped, saying which Debian
    package provides it, except under CONFORMANCE_REQUIRE_ALL=1 (set by .ci/run, which installs both),
    where it fails: CI must never pass by skipping."""
    path = shutil.which(command)
    if path:
        return path
    message = f"'{command}' not found: install Debian's {package} (apt-get install {package})"
    if os.environ.get("CONFORMANCE_REQUIRE_ALL") == "1":
        pytest.fail(f"{message}; CONFORMANCE_REQUIRE_ALL=1 makes a missing client a failure", pytrace=False)
    pytest.skip(message)


# MARK: - Per-test isolation


@pytest.fixture
def namespace(request: pytest.FixtureRequest) -> str:
    """A namespace no other test uses: the test's name plus a random suffix (at most 64 characters
    of [A-Za-z0-9._-], as the mock requires)."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", request.node.name).strip("-")[:44]
    return f"{stem}-{uuid.uuid4().hex[:12]}"


# MARK: - Summary


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """After the run: which statuses each Schemathesis run met, so a green run shows what it covered."""
    for name in ("test_schemathesis", "test_schemathesis_lifecycle", "test_schemathesis_portkey_lifecycle"):
        module = sys.modules.get(name)
        observed = getattr(module, "OBSERVED", None)
        if not observed:
            continue
        checks = (getattr(module, "LIST_CHECKS", None) or getattr(module, "STATELESS_CHECKS", None)
                  or getattr(module, "STATEFUL_CHECKS", []))
        terminalreporter.section(f"{name}: responses per run (method status x count)")
        terminalreporter.write_line(f"checks: {', '.join(check.__name__ for check in checks)}")
        for run in sorted(observed):
            counts = observed[run]
            total = sum(counts.values())
            detail = ", ".join(f"{key} x{n}" for key, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
            terminalreporter.write_line(f"{run:<26} {total:>4} requests: {detail}")
        for line in getattr(module, "SUMMARY", []):
            terminalreporter.write_line(line)
