"""Forms for the project-wide pages that belong to no app (the login page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form without ``autofocus`` on the username.

    Autofocus drops keyboard and screen-reader users in the middle of the page, past
    the skip link, the navigation and the heading; the first Tab should reach the
    skip link as on every other page.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.widget.attrs.pop("autofocus", None)
        # Django sets max_length on this field after it is built, so the length is never
        # checked: a longer name went on to django-axes, whose varchar(255) column made
        # PostgreSQL fail the login page with a 500.
        username.validators.append(MaxLengthValidator(username.max_length))
