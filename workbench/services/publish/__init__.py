"""The store as a static website (`workbench publish`): pages, inline SVG charts and diagrams, search."""

from .site import MANIFEST, PRIVATE_TAG, PublishError, PublishOptions, PublishResult, publish

__all__ = ["MANIFEST", "PRIVATE_TAG", "PublishError", "PublishOptions", "PublishResult", "publish"]
