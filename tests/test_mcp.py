"""`lessons mcp` end to end: a client from the official SDK starts ``python -m lessons mcp`` over stdio.

One server process per test module (starting one costs about a second): the client lists the
tools, calls each, and sends bad arguments, which must come back as tool errors with a clear
message while the server keeps answering.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters

DATA_KB = Path(__file__).parent / "data" / "kb"
TRACKED = """---
title: Checkout fails after a config push
date: 2025-02-03
services: [checkout]
causes: [configuration-error]
---

## Summary

A routing rule pushed to every region at once sent checkout requests to a pool that did not exist.

## Action items

- [ ] Validate routing rules before a push (OPS-123) — owner: traffic, due: 2025-03-01
- [x] Restore the old rule from version control — owner: sre
"""

Session = Callable[[Callable[[Client], Awaitable[Any]]], Any]


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mcp") / "kb"
    shutil.copytree(DATA_KB, root, ignore=shutil.ignore_patterns(".lessons"))
    (root / "postmortems" / "2025-02-03-checkout-config.md").write_text(TRACKED, encoding="utf-8")
    (root / "lessons.toml").write_text('[trackers]\nOPS = "https://jira.example.com/browse/{key}"\n',
                                       encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def session(content: Path) -> Session:
    """Run one coroutine against a freshly spawned server (``python -m lessons mcp``)."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "lessons", "mcp", "--content", str(content)],
                                   cwd=str(content.parent))

    def run(work: Callable[[Client], Awaitable[Any]]) -> Any:
        async def main() -> Any:
            async with Client(params) as client:
                return await work(client)

        return anyio.run(main)

    return run


def _result(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content[0].text
    structured: dict[str, Any] = result.structured_content
    assert json.loads(result.content[0].text) == structured  # the text is the same answer
    return structured


def test_the_tools_and_their_typed_inputs(session: Session) -> None:
    listed = session(lambda client: client.list_tools())
    tools = {tool.name: tool for tool in listed.tools}
    assert set(tools) == {"search", "similar", "show", "actions", "advise"}
    search = tools["search"].input_schema
    assert search["required"] == ["query"]
    assert set(search["properties"]) == {"query", "kind", "causes", "tags", "services", "severity", "since",
                                         "until", "status", "limit"}  # the filters of `lessons search`
    assert search["properties"]["limit"]["maximum"] == 100
    assert {"format": "date", "type": "string"} in search["properties"]["since"]["anyOf"]
    assert tools["show"].input_schema["required"] == ["doc_id"]
    assert set(tools["actions"].input_schema["properties"]) == {"open", "overdue", "owner", "service", "since",
                                                                "limit"}
    assert tools["advise"].input_schema["required"] == ["change"]
    assert set(tools["advise"].input_schema["properties"]) == {"change", "services", "paths", "limit"}
    for tool in tools.values():
        assert tool.description and tool.output_schema, tool.name


def test_search_similar_show_and_actions(session: Session) -> None:
    async def calls(client: Client) -> list[Any]:
        return [
            await client.call_tool("search", {"query": "contactles payments", "limit": 3}),
            await client.call_tool("search", {"query": "payments", "kind": "postmortem", "since": "2022-01-01",
                                              "services": ["store-tills"]}),
            await client.call_tool("similar", {"target": "card payments failing in stores after a till update"}),
            await client.call_tool("show", {"doc_id": "2025-02-03-checkout-config"}),
            await client.call_tool("actions", {"open": True, "service": "checkout"}),
        ]

    search, filtered, similar, show, actions = (_result(r) for r in session(calls))
    best = search["results"][0]
    assert best["id"] == "2024-03-16-contactless-payments-update"
    assert best["path"] == "kb/postmortems/2024-03-16-contactless-payments-update.md"
    assert best["title"] == "Overnight update stops contactless payments in stores"
    assert "contactles ~ contactless (title)" in best["why"]
    assert [hit["id"] for hit in filtered["results"]] == ["2024-03-16-contactless-payments-update"]
    assert similar["results"][0]["id"] == "2024-03-16-contactless-payments-update"
    assert 0 < similar["results"][0]["score"] <= 1 and similar["results"][0]["why"]

    assert (show["id"], show["date"], show["services"], show["causes"]) == (
        "2025-02-03-checkout-config", "2025-02-03", ["checkout"], ["configuration-error"])
    assert [s["name"] for s in show["sections"]] == ["summary", "action-items"]
    assert show["action_items"][0]["tracker_url"] == "https://jira.example.com/browse/OPS-123"
    assert show["action_items"][1]["done"] is True

    [item] = actions["items"]  # the done item is left out
    assert (item["text"], item["owner"], item["due"], item["overdue"], item["tracker"]) == (
        "Validate routing rules before a push (OPS-123)", "traffic", "2025-03-01", True, "OPS-123")
    assert (item["document_id"], item["line"]) == ("2025-02-03-checkout-config", 14)


def test_advise_on_a_planned_change(session: Session) -> None:
    result = session(lambda client: client.call_tool(
        "advise", {"change": "overnight update to the store till software", "services": ["store-tills"]}))
    advice = _result(result)
    incident = advice["incidents"][0]
    assert (incident["id"], incident["path"]) == ("2024-03-16-contactless-payments-update",
                                                  "kb/postmortems/2024-03-16-contactless-payments-update.md")
    assert "overnight = overnight (text)" in incident["why"] and "staged rollout" in incident["lesson"]
    [cause] = [c for c in advice["causes"] if c["cause"] == "incomplete-testing"]
    assert "canary-releases" in cause["practices"]
    [canary] = [p for p in advice["practices"] if p["id"] == "canary-releases"]
    assert "Rollback is one command." in canary["checklist"]
    [action] = advice["actions"]
    assert (action["text"], action["done"], action["document_id"]) == (
        "Roll out till updates to ten pilot stores first", False, "2024-03-16-contactless-payments-update")


def test_bad_arguments_are_tool_errors_and_the_server_keeps_answering(session: Session) -> None:
    async def calls(client: Client) -> list[Any]:
        return [
            await client.call_tool("show", {"doc_id": "2024-03-16-contactless-payment-update"}),
            await client.call_tool("search", {"query": "payments", "limit": "ten"}),
            await client.call_tool("search", {"query": "payments", "since": "last spring"}),
            await client.call_tool("search", {"query": "payments", "kind": "runbook"}),
            await client.call_tool("actions", {"owner": ["traffic"]}),
            await client.call_tool("search", {}),
            await client.call_tool("advice", {"text": "x"}),
            await client.call_tool("advise", {"change": "   "}),
            await client.call_tool("advise", {"change": "deploy", "services": "payments"}),
            await client.call_tool("search", {"query": "payments", "limit": 1}),
        ]

    *errors, after = session(calls)
    messages = []
    for result in errors:
        assert result.is_error
        messages.append(result.content[0].text)
    unknown_id, wrong_type, bad_date, bad_choice, owner_list, missing, unknown_tool, empty, not_a_list = messages
    assert "no document with id '2024-03-16-contactless-payment-update'" in unknown_id
    assert "did you mean '2024-03-16-contactless-payments-update'" in unknown_id
    assert "limit" in wrong_type and "valid integer" in wrong_type
    assert "since" in bad_date and "date" in bad_date
    assert "kind" in bad_choice and "'postmortem' or 'practice'" in bad_choice
    assert "owner" in owner_list and "valid string" in owner_list
    assert "query" in missing and "Field required" in missing
    assert unknown_tool == "Unknown tool: advice"
    assert "nothing to advise on" in empty
    assert "services" in not_a_list and "valid list" in not_a_list
    assert len(_result(after)["results"]) == 1


def test_without_the_extra_the_command_says_which_to_install(tmp_path: Path) -> None:
    # A `mcp` package that cannot be found: find_spec returns None for a module set to None.
    script = ("import sys; sys.modules['mcp'] = None; from lessons.cli.main import main; "
              "main(['mcp', '--content', sys.argv[1]])")
    done = subprocess.run([sys.executable, "-c", script, str(DATA_KB)], capture_output=True, text=True,
                          check=False, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: lessons mcp needs the MCP SDK: pip install 'lessons[mcp]'"
