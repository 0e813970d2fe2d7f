"""The one error hierarchy: every error is a LumaError with a human message and a JSON form."""

import pytest

from luma_desktop import errors
from luma_desktop.errors import (
    Ambiguous,
    BrainError,
    Candidate,
    ConfigurationError,
    ConfirmationError,
    Conflict,
    Invalid,
    LumaError,
    MemoryUnavailable,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServiceError,
    VoiceError,
    WorkspaceError,
)


@pytest.mark.parametrize(
    ("error", "parent", "code"),
    [
        pytest.param(NotFound("client", "Zed"), ServiceError, "not_found", id="not-found"),
        pytest.param(
            Ambiguous("client", "Sarah", [Candidate(1, "Sarah Miller")]),
            ServiceError,
            "ambiguous",
            id="ambiguous",
        ),
        pytest.param(PermissionDenied("no"), ServiceError, "permission_denied", id="denied"),
        pytest.param(Conflict("busy"), ServiceError, "conflict", id="conflict"),
        pytest.param(Invalid("bad", field="amount"), ServiceError, "invalid", id="invalid"),
        pytest.param(WorkspaceError("disk"), LumaError, "workspace", id="workspace"),
        pytest.param(
            ConfigurationError("x", setting="y"), LumaError, "configuration", id="configuration"
        ),
        pytest.param(BrainError("down", retryable=True), LumaError, "brain", id="brain"),
        pytest.param(ConfirmationError("expired"), LumaError, "confirmation", id="confirmation"),
        pytest.param(RateLimited("slow", retry_after=2.0), LumaError, "rate_limited", id="rate"),
        pytest.param(MemoryUnavailable("loading"), LumaError, "memory", id="memory"),
        pytest.param(VoiceError("no mic", stage="capture"), LumaError, "voice", id="voice"),
    ],
)
def test_hierarchy_and_codes(error, parent, code):
    assert isinstance(error, parent)
    assert isinstance(error, LumaError)
    assert error.to_dict()["error"] == code
    assert error.to_dict()["message"] == str(error)


def test_not_found_names_what_was_missing():
    error = NotFound("invoice", "INV-0999")
    assert str(error) == "I couldn't find invoice “INV-0999”."
    assert error.to_dict()["reference"] == "INV-0999"


def test_ambiguous_lists_candidates_with_details():
    error = Ambiguous(
        "client",
        "Sarah",
        [
            Candidate(1, "Sarah Miller", "sarah.miller@example.com", 100.0),
            Candidate(2, "Sarah Thompson", "sarah.t.design@example.com", 100.0),
        ],
    )
    assert "Sarah Miller, Sarah Thompson" in str(error)
    data = error.to_dict()
    assert [c["label"] for c in data["candidates"]] == ["Sarah Miller", "Sarah Thompson"]
    assert data["candidates"][1]["detail"] == "sarah.t.design@example.com"


def test_conflict_and_invalid_carry_their_extras():
    assert Conflict("taken", suggestions=["14:00", "15:00"]).to_dict()["suggestions"] == [
        "14:00",
        "15:00",
    ]
    assert Invalid("bad phone", field="phone").to_dict()["field"] == "phone"


def test_public_surface_is_exactly_the_documented_names():
    assert set(errors.__all__) == {
        "Ambiguous",
        "BrainError",
        "Candidate",
        "ConfigurationError",
        "ConfirmationError",
        "Conflict",
        "Invalid",
        "LumaError",
        "MemoryUnavailable",
        "NotFound",
        "PermissionDenied",
        "RateLimited",
        "ServiceError",
        "VoiceError",
        "WorkspaceError",
    }
    for name in errors.__all__:
        assert name in (errors.__doc__ or "") or name == "Candidate"
