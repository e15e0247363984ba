"""JDK 17's java.net.http.HttpClient with an Authenticator set, against the mock's 401s.

That client reads WWW-Authenticate on every 401: without one it throws "IOException: WWW-Authenticate
header missing for response code 401" instead of returning the response (so a Java SDK's "bad key" test
failed in the client); with a scheme other than Basic it hands the 401 to the application. The client is
a single-file program, clients/AuthenticatorClient.java, run with `java File.java` (JDK 11 and later);
`java` comes from Debian's openjdk-17-jdk-headless (skipped without it, failed under
CONFORMANCE_REQUIRE_ALL=1, as in CI).

JDK fact the expectations rely on: with an Authenticator set, the client drops an Authorization header
the application sets, so its OpenRouter requests never carry the Bearer token (a missing key).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import require_tool

CLIENT = Path(__file__).parent / "clients" / "AuthenticatorClient.java"

OPENROUTER_MISSING = '401\tBearer realm="OpenRouter"\t{"error":{"code":401,"message":"Missing Authentication header"}}'
PORTKEY_401 = ('401\tx-portkey-api-key realm="Portkey"\t'
               '{"success":false,"data":{"message":"Unauthorised Request","errorCode":"AB05"}}')


def test_jdk_http_client_with_an_authenticator_gets_every_401_with_its_challenge(mock_server, namespace):
    java = require_tool("java", "openjdk-17-jdk-headless")
    run = subprocess.run(
        [java, str(CLIENT), mock_server.base_url, namespace],
        capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr

    assert run.stdout.splitlines() == [
        f"openrouter-no-key\t{OPENROUTER_MISSING}",
        f"openrouter-bearer-dropped\t{OPENROUTER_MISSING}",
        f"portkey-no-key\t{PORTKEY_401}",
        f"portkey-unknown-key\t{PORTKEY_401}",
        f"portkey-forced\t{PORTKEY_401}",
    ]
    journal = mock_server.journal(namespace, "any")
    assert [(e["vendor"], e["status"], e["forced"]) for e in journal] == [
        ("openrouter", 401, False), ("openrouter", 401, False),
        ("portkey", 401, False), ("portkey", 401, False), ("portkey", 401, True)]
    assert all(h["name"].lower() != "authorization" for e in journal for h in e["headers"])
