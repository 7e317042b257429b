"""The Procfile is the one process list: compose.yaml and the Dockerfile run the same
commands, and every command it names exists and accepts its arguments.

No container runtime runs here, so the image itself is not built by the tests; this
keeps what it would run equal to what honcho runs (tests/topology runs that)."""

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands, load_command_class
from honcho.environ import parse_procfile

ROOT = Path(__file__).resolve().parents[2]
CRON = re.compile(r"^# cron (?P<schedule>(\S+ ){4}\S+): (?P<command>.+)$")


def _procfile() -> dict[str, list[str]]:
    processes = parse_procfile((ROOT / "Procfile").read_text()).processes
    return {name: shlex.split(command) for name, command in processes.items()}


def _cron() -> dict[str, list[str]]:
    jobs = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if match := CRON.match(line):
            jobs[match["schedule"]] = shlex.split(match["command"])
    return jobs


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def _dockerfile_cmd() -> list[str]:
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    cmd = [line for line in lines if line.startswith("CMD ")]
    assert len(cmd) == 1
    return json.loads(cmd[0].removeprefix("CMD "))


def test_procfile_lists_the_four_processes():
    assert set(_procfile()) == {"web", "worker", "tick", "bot"}


def test_cron_schedules_are_documented_in_the_procfile():
    jobs = {tuple(command) for command in _cron().values()}
    assert jobs == {
        ("python", "manage.py", "auto_confirm_shipments"),
        ("python", "manage.py", "publish_scheduled"),
        ("python", "manage.py", "reconcile"),
    }


def test_compose_runs_the_procfile_commands():
    services = _compose()["services"]
    procfile = _procfile()
    assert services["web-1"]["command"] == procfile["web"]
    assert services["web-2"]["command"] == procfile["web"]
    for name in ("worker", "tick", "bot"):
        assert services[name]["command"] == procfile[name], name
    # Every service built from the image runs a Procfile process, or migrate.
    app = {
        name: service
        for name, service in services.items()
        if service.get("image") == "dealer-portal"
    }
    commands = {tuple(service["command"]) for service in app.values()}
    assert commands == {tuple(c) for c in procfile.values()} | {
        ("python", "manage.py", "migrate", "--no-input")
    }


def test_compose_topology_has_two_web_two_workers_and_a_websocket_proxy():
    compose = _compose()
    services = compose["services"]
    assert services["worker"]["deploy"]["replicas"] == 2
    assert {"postgres", "redis", "proxy", "migrate", "tick", "bot"} <= set(services)
    for name in ("web-1", "web-2", "worker", "tick", "bot"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://")
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy web-1:8000 web-2:8000" in caddyfile
    assert "health_uri /readyz" in caddyfile
    assert services["web-1"]["environment"]["PORT"] == "8000"


def test_dockerfile_is_multi_stage_non_root_and_bakes_static_and_messages():
    text = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", text, flags=re.M)) >= 2
    users = re.findall(r"^USER (\S+)", text, flags=re.M)
    assert users
    assert users[-1] not in {"root", "0"}
    assert "uv sync --frozen --no-dev" in text
    assert "collectstatic --no-input" in text
    assert "compilemessages" in text
    assert _dockerfile_cmd() == _procfile()["web"]


@pytest.mark.parametrize(
    "command",
    [*_procfile().values(), *_cron().values()],
    ids=lambda command: command[2],
)
def test_every_command_exists_and_accepts_its_arguments(command):
    assert command[:2] == ["python", "manage.py"]
    name, arguments = command[2], command[3:]
    app = get_commands()[name]  # KeyError: no such management command
    parser = load_command_class(app, name).create_parser("manage.py", name)
    parser.parse_args(arguments)  # SystemExit on an unknown option
