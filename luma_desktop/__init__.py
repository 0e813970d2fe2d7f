"""Luma Desktop: a voice-and-text assistant for people who run a small business."""

__version__ = "0.1.0"

__all__ = ["__version__"]
