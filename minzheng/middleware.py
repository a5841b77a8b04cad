"""Project-wide middleware: nothing a signed-in user sees is kept by a browser or a proxy."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    """Mark every response to a signed-in user `Cache-Control: no-store`.

    Pages carry names, ID numbers and allowances: the back button on a shared office PC, a
    proxy or the disk cache must not keep them after logout. Static files are answered by
    whitenoise before authentication runs (no `request.user`), so they keep their caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response
