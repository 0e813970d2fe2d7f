"""Natural-language dates and times: moved to :mod:`luma_desktop.language.when` (re-exported).

The one date parser of Luma lives in :mod:`luma_desktop.language`; this module keeps the older
import path working for services and tools.
"""

from __future__ import annotations

from ..language.when import ACCEPTED_FORMS, DEFAULT_TIME, END_OF_DAY, parse_day, parse_when

__all__ = ["ACCEPTED_FORMS", "DEFAULT_TIME", "END_OF_DAY", "parse_day", "parse_when"]
