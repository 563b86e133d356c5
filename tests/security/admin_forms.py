"""The POST an admin change or add page would send back as it is (its form and inlines)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.http import HttpResponse


def _encode(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _form_data(form: Any, data: dict[str, Any]) -> None:
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None or value is False:
            continue
        if value is True:
            data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [_encode(v) for v in value]
        else:
            data[key] = _encode(value)


def admin_form_data(response: HttpResponse) -> dict[str, Any]:
    """The page's form and inline formsets with the values they show."""
    data: dict[str, Any] = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _form_data(formset.management_form, data)
        for form in formset.forms:
            if form.instance.pk is None:
                continue  # the empty extra rows stay empty
            _form_data(form, data)
        data[formset.management_form.add_prefix("TOTAL_FORMS")] = str(
            sum(1 for f in formset.forms if f.instance.pk is not None)
        )
    return data
