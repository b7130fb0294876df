"""The JSON API at /api/v1/ (being built)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Recovery planning and assurance API", version="1.0.0", docs_url=None)
