"""The OpenAPI schema tells the truth: schemathesis drives every operation of a real server (Granian, two
processes, the demo hospital on a private SQLite file) as an Admin and as a Teller signed in with JWT, with a
fixed seed and a bounded number of examples, and finds no server error and no answer its schema does not
describe (shape, nulls, content type)."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks
from schemathesis.core.failures import Failure, FailureGroup

from hayat.accounts.demo import demo_password
from tests.processes import START_STEPS, free_port, manage, private_environment, start_web_server, stop

pytestmark = pytest.mark.processes

SEED = 22
EXAMPLES = 8  # per operation and role: a few minutes per role on two busy cores
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance, checks.content_type_conformance]
RATE_LIMITS_OFF = {f"HAYAT_RATE_LIMIT_{name}": "off" for name in
                   ("API_USER", "API_ADDRESS", "EXPENSIVE_USER", "EXPENSIVE_ADDRESS")}


@pytest.fixture(scope="module")
def demo_hospital(tmp_path_factory) -> Path:
    """A data folder holding the demo hospital, made once as `run.py serve` makes it; each role gets a copy."""
    data_dir = tmp_path_factory.mktemp("demo-hospital")
    env = private_environment(data_dir)
    for step in START_STEPS:
        manage(env, *step)
    return data_dir


@pytest.fixture(scope="module", params=["admin", "teller"])
def signed_in(request, demo_hospital, tmp_path_factory):
    """A real server on a copy of the demo hospital (what one role writes never changes what the other finds),
    its address, a JWT of the role's demo login and that user's id."""
    data_dir = tmp_path_factory.mktemp(f"as-{request.param}")
    shutil.copytree(demo_hospital, data_dir, dirs_exist_ok=True)
    port = free_port()
    process = start_web_server(private_environment(data_dir, **RATE_LIMITS_OFF), port)
    base = f"http://127.0.0.1:{port}"
    token = call(base, "/api/auth/token/", {"user_id": request.param, "password": demo_password(request.param)})
    me = call(base, "/api/me/", token=token["access"])
    yield base, token["access"], me["id"]
    stop(process)


def call(base: str, path: str, body: dict | None = None, token: str = "") -> dict:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, headers=headers)  # noqa: S310 - loopback only
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return json.load(response)


def test_every_operation_answers_as_its_schema_says_without_server_errors(signed_in):
    base, token, me = signed_in
    config = schemathesis.Config.from_dict({"request-timeout": 120})  # a first PDF on a busy machine: > 10 s
    schema = schemathesis.openapi.from_dict(call(base, "/api/schema/?format=json", token=token), config=config)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 200
    signed = {"Authorization": f"Bearer {token}"}
    found = [failure for operation in operations for failure in failures_of(operation, base, signed, me)]
    assert found == [], "\n\n".join(found)


def failures_of(operation, base: str, signed: dict, me: int) -> list[str]:
    """Sends the operation EXAMPLES generated requests, valid and invalid ones, and describes every answer a
    check refuses (no shrinking: each example is one request, so the run stays bounded)."""
    found: list[str] = []
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @hypothesis.seed(SEED)
    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
                         phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(case=strategy)
    def send(case):
        # A user resetting their own password revokes their tokens, this run's included (as it must).
        hypothesis.assume(not (operation.path.endswith("/reset-password/") and case.path_parameters.get("id") == me))
        try:
            case.call_and_validate(base_url=base, headers=signed, checks=CHECKS)
        except FailureGroup as failures:
            found.extend(f"{operation.label}: {failure.title}\n{failure.message}\n{case.as_curl_command()}"
                         for failure in failures.exceptions)
        except Failure as failure:
            found.append(f"{operation.label}: {failure.title}\n{failure.message}\n{case.as_curl_command()}")
        except OSError as error:  # a timeout or a dropped connection
            found.append(f"{operation.label}: {error!r}\n{case.as_curl_command()}")

    send()
    return found
