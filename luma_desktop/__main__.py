"""``python -m luma_desktop``: the same as the ``luma`` command."""

from luma_desktop.cli import main

raise SystemExit(main())
