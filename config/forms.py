"""Forms for the project-wide pages that belong to no app (the login page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Django's login form without ``autofocus`` on the username.

    Autofocus drops keyboard and screen-reader users in the middle of the page, past
    the skip link, the navigation and the heading; the first Tab should reach the
    skip link as on every other page.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
