from tests.review.conftest import resolution_sr, review, travel  # noqa: F401  (shared fixtures)
