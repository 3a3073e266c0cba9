"""prefect.yaml: every deployment points at a real flow with parameters it accepts, and every story has one."""
from __future__ import annotations

import importlib.util
import inspect

import yaml
from prefect.flows import Flow

from flows.story import load_story
from tests.conftest import REPO


def _config():
    return yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))


def _load_entrypoint(entrypoint: str) -> Flow:
    path, name = entrypoint.split(":")
    spec = importlib.util.spec_from_file_location("entrypoint_module", REPO / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def test_deployments_match_the_flows():
    config = _config()
    assert config["pull"][0]["prefect.deployments.steps.set_working_directory"]["directory"]
    deployments = config["deployments"]
    assert deployments
    for d in deployments:
        flow = _load_entrypoint(d["entrypoint"])
        assert isinstance(flow, Flow) and flow.name == "monitor_story"
        inspect.signature(flow.fn).bind(**d["parameters"])  # raises on an unknown or missing parameter
        story = load_story(REPO / d["parameters"]["story"])
        assert d["name"] == story.story_id
        assert d["parameters"]["trigger"] == "schedule"
        schedules = d["schedules"]
        assert schedules and all(("interval" in s) ^ ("cron" in s) for s in schedules)
        assert d["concurrency_limit"] == 1, "two runs of one story must never overlap"
        assert d["work_pool"]["name"]


def test_every_story_folder_has_a_deployment():
    deployed = {d["parameters"]["story"].rstrip("/") for d in _config()["deployments"]}
    folders = {f"seeds/{p.parent.name}" for p in (REPO / "seeds").glob("*/story.toml")}
    assert folders and folders <= deployed
