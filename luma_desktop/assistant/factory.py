"""Building an assistant from the settings: which brain, which user, which business.

Brains by setting ``brain``: ``auto`` picks Claude when ``ANTHROPIC_API_KEY`` is set, else the
local OpenAI-compatible server when ``local_base_url`` is set, else the offline parser. With an
LLM the offline parser also answers unambiguous exact commands (the fast path, no tokens) and is
the fallback when the LLM is down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..clock import Clock
from ..credentials import get_secret
from ..errors import ConfigurationError
from ..settings import LumaSettings
from ..workspace.database import Workspace
from ..workspace.models import Business, Role
from .brains.base import Brain
from .brains.offline import OfflineBrain
from .catalog import ToolRegistry
from .context import ExecutionContext, execution_context_for
from .orchestrator import Assistant, AssistantOptions
from .recollection import Recollection
from .usage import RateLimiter

if TYPE_CHECKING:
    from ..memory import Memory

__all__ = ["build_assistant", "choose_llm"]


def choose_llm(settings: LumaSettings) -> Brain | None:
    """The LLM brain the settings ask for, or ``None`` for offline only."""
    key = get_secret("ANTHROPIC_API_KEY")
    wanted = settings.brain
    if wanted == "claude" or (wanted == "auto" and key):
        if not key:
            raise ConfigurationError(
                "The Claude brain needs an API key: run `luma keys set ANTHROPIC_API_KEY` "
                "or set the ANTHROPIC_API_KEY environment variable.",
                setting="brain",
            )
        from .brains.claude import ClaudeBrain

        return ClaudeBrain(api_key=key, model=settings.claude_model)
    if wanted == "local" or (wanted == "auto" and settings.local_base_url):
        if not settings.local_base_url:
            raise ConfigurationError(
                "The local brain needs the server's address: set LUMA_LOCAL_BASE_URL, "
                "e.g. http://127.0.0.1:11434/v1 for Ollama.",
                setting="local_base_url",
            )
        from .brains.openai_compat import OpenAICompatibleBrain

        return OpenAICompatibleBrain(
            base_url=settings.local_base_url,
            model=settings.local_model,
            api_key=get_secret("OPENAI_API_KEY"),
        )
    return None


def build_assistant(
    workspace: Workspace,
    registry: ToolRegistry,
    settings: LumaSettings,
    *,
    clock: Clock | None = None,
    user: str | None = None,
    role: Role | None = None,
    llm: Brain | None = None,
    services_options: dict[str, Any] | None = None,
    memory: Memory | None = None,
) -> Assistant:
    """An assistant for the signed-in user (``user`` e-mail, or the first user of ``role``).

    ``llm`` overrides the settings' choice (tests pass brains talking to fake servers);
    ``memory`` is the app's long-term memory (shared by its assistants; ``None``: off).
    """
    context = execution_context_for(
        workspace, business=settings.business, user=user or settings.user, role=role, clock=clock
    )
    offline = OfflineBrain(workspace, registry, context)
    brain = llm if llm is not None else choose_llm(settings)
    options = AssistantOptions(
        max_tool_calls=settings.max_tool_calls,
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
        business_name=_business_name(workspace, context),
    )
    services = {
        "large_payment_threshold_minor": settings.large_payment_threshold_minor,
        "memory": memory,
    }
    assistant = Assistant(
        workspace=workspace,
        registry=registry,
        context=context,
        brain=brain or offline,
        fast_path=offline if brain is not None and settings.offline_fast_path else None,
        fallback=offline if brain is not None else None,
        rate_limiter=RateLimiter(settings.messages_per_minute, clock=context.clock),
        options=options,
        services_options={**services, **(services_options or {})},
        memory=Recollection(memory, registry) if memory is not None else None,
    )
    offline.working = assistant.working
    return assistant


def _business_name(workspace: Workspace, context: ExecutionContext) -> str:
    with workspace.transaction(context.business_id) as session:
        return session.scalar(sa.select(Business.name)) or "the business"
