"""Per-turn tool selection: send the model only the tools a message needs.

Lexical retrieval (BM25 over each tool's name, examples, description and domain, with light
stemming and a business synonym table) plus an always-on core, the working context's topic
and the conversation's recent tools, all within what the user's role may see. No network,
no model: an index of the catalog built once, well under a millisecond per message.
"""

from ._selector import DEFAULT_CORE, ToolSelector
from ._text import MAX_CHARS

__all__ = ["DEFAULT_CORE", "MAX_CHARS", "ToolSelector"]
