"""The sentence templates: every tool has some, and they fit the tools they name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from luma_desktop.assistant.brains.offline import (
    TemplateError,
    load_templates,
    template_files,
)
from luma_desktop.assistant.brains.offline._readings import required_fields
from luma_desktop.tools import build_registry

PENDING_DOMAINS: frozenset[str] = frozenset()
"""Domains whose templates are still to be written (scheduling, clients, invoicing and banking
were; all have their files now). A new domain may start here; remove it when it gets its file:
the tests fail for a tool outside it without templates and for a tool inside it with some."""

REGISTRY = build_registry()
TEMPLATES = load_templates(REGISTRY, strict=True)


@pytest.mark.parametrize("tool", list(REGISTRY), ids=lambda t: t.name)
def test_every_tool_has_templates_unless_its_domain_is_pending(tool):
    if tool.domain in PENDING_DOMAINS:
        assert tool.name not in TEMPLATES.by_tool, (
            f"{tool.name} has templates: remove '{tool.domain}' from PENDING_DOMAINS"
        )
    else:
        assert tool.name in TEMPLATES.by_tool, f"{tool.name} has no sentence templates"


def test_pending_domains_are_real_domains():
    assert {tool.domain for tool in REGISTRY} >= PENDING_DOMAINS


@pytest.mark.parametrize(
    ("domain", "file"), [pytest.param(d, f, id=d) for d, f in template_files()]
)
def test_a_file_holds_the_tools_of_its_own_domain(domain, file):
    intents = yaml.safe_load(file.read_text(encoding="utf-8"))["intents"]
    domains = {REGISTRY.get(name).domain for name in intents if name in REGISTRY}
    assert domains == {domain}


@pytest.mark.parametrize("name", sorted(TEMPLATES.by_tool))
def test_every_required_argument_can_be_asked_for(name):
    tool = REGISTRY.get(name)
    templates = TEMPLATES.by_tool[name]
    for field in required_fields(tool.input_model):
        assert templates.questions.get(field), f"{name}: no question for '{field}'"
        assert field in templates.slot_types, f"{name}: '{field}' is in no sentence"


@pytest.mark.parametrize("name", sorted(TEMPLATES.by_tool))
def test_every_argument_a_block_requires_can_be_asked_for(name):
    templates = TEMPLATES.by_tool[name]
    for field in templates.requires:
        assert templates.questions.get(field), f"{name}: no question for required '{field}'"


@pytest.mark.parametrize("name", sorted(TEMPLATES.by_tool))
def test_examples_parse_to_their_own_tool(brain, name):
    """The templates' examples are the suggestions offered when nothing matches: they must work."""
    examples = TEMPLATES.by_tool[name].examples
    assert examples, f"{name}: give a few examples"
    wrong = {e: brain.understand(e).tool for e in examples}
    assert {e: t for e, t in wrong.items() if t != name} == {}


# -- loading errors ---------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> list[tuple[str, Path]]:
    path = tmp_path / "demo_sentences.yaml"
    path.write_text(text, encoding="utf-8")
    return [("demo", path)]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("intents: [", "not valid YAML", id="bad-yaml"),
        pytest.param("language: en\n", "top-level 'intents'", id="no-intents"),
        pytest.param(
            "intents:\n  nope_tool:\n    data:\n      - sentences: ['do the thing']\n",
            "not a registered tool",
            id="unknown-tool",
        ),
        pytest.param(
            "intents:\n  tasks_list:\n    data:\n      - sentences: ['show {text:colour}']\n",
            "no argument named colour",
            id="unknown-argument",
        ),
        pytest.param(
            "intents:\n  tasks_list:\n    data:\n      - sentences: ['show {shades:status}']\n",
            "lists nobody defined",
            id="undefined-list",
        ),
        pytest.param(
            "intents:\n  tasks_list:\n    data:\n      - sentences: ['show (tasks']\n",
            "does not parse",
            id="broken-sentence",
        ),
        pytest.param(
            "intents:\n  tasks_list:\n    questions: {colour: 'Which?'}\n"
            "    data:\n      - sentences: ['show tasks']\n",
            "no argument named colour",
            id="question-for-unknown-argument",
        ),
        pytest.param(
            "expansion_rules:\n  show: '(display)'\nintents:\n  tasks_list:\n"
            "    data:\n      - sentences: ['show tasks']\n",
            "expansion_rules 'show' is already defined",
            id="clashing-rule",
        ),
        pytest.param(
            "intents:\n  tasks_create:\n    data:\n"
            "      - sentences: ['todo {text:title} {text:description}']\n",
            "puts free slots side by side (title, description)",
            id="free-slots-side-by-side",
        ),
        pytest.param(
            "intents:\n  tasks_list:\n    data:\n"
            "      - sentences: ['tasks {period:status+priority+due_before}']\n",
            "a period fills at most two arguments",
            id="pair-into-three",
        ),
        pytest.param(
            "intents:\n  tasks_list:\n    data:\n"
            "      - sentences: ['tasks for {text:status+colour}']\n",
            "no argument named colour",
            id="shared-slot-unknown-argument",
        ),
        pytest.param(
            "intents:\n  tasks_list:\n    data:\n"
            "      - sentences: ['my tasks']\n        requires: [colour]\n",
            "no argument named colour",
            id="requires-unknown-argument",
        ),
        pytest.param(
            "intents:\n  tasks_list:\n    data:\n"
            "      - sentences: ['my tasks']\n        requires: status\n",
            "'requires' must be a list",
            id="requires-not-a-list",
        ),
    ],
)
def test_bad_templates_are_refused_with_the_reason(tmp_path, text, problem):
    with pytest.raises(TemplateError, match=re.escape(problem)):
        load_templates(REGISTRY, write(tmp_path, text), strict=True)


def test_an_intent_defined_in_two_files_is_refused(tmp_path):
    body = "intents:\n  tasks_list:\n    data:\n      - sentences: ['show tasks']\n"
    files = [*write(tmp_path, body), ("other", tmp_path / "other_sentences.yaml")]
    files[1][1].write_text(body, encoding="utf-8")
    with pytest.raises(TemplateError, match="defined twice"):
        load_templates(REGISTRY, files)


def test_templates_of_tools_missing_from_the_registry_are_dropped_when_not_strict(tmp_path):
    body = "intents:\n  nope_tool:\n    data:\n      - sentences: ['do the thing']\n"
    assert load_templates(REGISTRY, write(tmp_path, body)).by_tool == {}
