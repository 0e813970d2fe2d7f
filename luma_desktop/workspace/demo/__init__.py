"""The demo business: a deterministic, realistic salon seeded relative to "now"."""

from .seed import DEMO_SLUG, DemoSummary, reset_demo, seed_demo

__all__ = ["DEMO_SLUG", "DemoSummary", "reset_demo", "seed_demo"]
