"""Serve GOV.UK Frontend and MoJ Frontend from node_modules.

Their precompiled CSS refers to fonts and images at /assets/…, so those two
packages' asset folders are served under that prefix as well as their
scripts and styles under /static/. Nothing is copied into the repository.
"""

from typing import Any

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware


class GovukAssetsWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    def __init__(self, get_response: Any = None, settings_: Any = None):
        super().__init__(get_response)
        nm = settings.NODE_MODULES
        # MoJ first, then GOV.UK: GOV.UK's copy wins where both ship a file.
        for folder in (
            nm / "@ministryofjustice" / "frontend" / "moj" / "assets",
            nm / "govuk-frontend" / "dist" / "govuk" / "assets",
        ):
            if folder.is_dir():
                self.add_files(str(folder), prefix="assets/")
