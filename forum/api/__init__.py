"""Read-only public JSON API at /api/v1/, with its OpenAPI schema and docs at /api/."""
