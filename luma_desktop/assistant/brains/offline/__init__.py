"""The offline brain: hassil sentence templates, value parsing and slot filling.

Templates live beside each tool domain (``tools/<domain>_sentences.yaml`` or
``tools/<domain>/sentences.yaml``); docs/offline-templates.md says how to write them.
"""

from ._matching import EntityMatch, fold
from ._speech import normalise_speech
from ._templates import TemplateError, TemplateSet, load_templates, template_files
from ._understanding import CONFIDENT, Understanding, WorkingContextLike
from .brain import OfflineBrain

__all__ = [
    "CONFIDENT",
    "EntityMatch",
    "OfflineBrain",
    "TemplateError",
    "TemplateSet",
    "Understanding",
    "WorkingContextLike",
    "fold",
    "load_templates",
    "normalise_speech",
    "template_files",
]
