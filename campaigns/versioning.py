"""Lost updates: the one optimistic lock of every form that edits a shared record.

Two people open the same record's form; the first saves; the second's save must not
silently overwrite the first. So:

- the record carries a ``version`` (``VersionedModel``, or the same field declared on
  the model), raised by one on every write through a form;
- the form sends back the version it was built from in a hidden field
  (``VersionedFormMixin`` on the form, or ``VersionForm`` beside a formset that edits
  the rows under one record);
- the service that writes claims that version in its transaction (``claim_version``:
  ``UPDATE … SET version = version + 1 WHERE pk = … AND version = expected``; or
  ``check_version`` on a row it already holds ``select_for_update``). The second of two
  forms finds the version gone and is refused with ``ConflictError``: nothing of it is
  written and the first's data stays.

A POST that leaves the version out (or sends something else than a number) is refused
with the same conflict message: there is no unchecked path.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .errors import ConflictError

VERSION_FIELD = "version"


class VersionedModel(models.Model):
    """A record edited in forms by several people: ``version`` is its optimistic lock."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def conflict_message(model: type[models.Model] | models.Model) -> str:
    """The message of a refused stale (or version-less) save of ``model``.

    A model may word its own (``CONFLICT_MESSAGE``); the others name their kind.
    """
    own = getattr(model, "CONFLICT_MESSAGE", None)
    if own:
        return str(own)
    return _(
        "%(what)s vừa được người khác cập nhật sau khi bạn mở trang. Tải lại trang để xem "
        "bản mới nhất rồi nhập lại thay đổi của bạn."
    ) % {"what": capfirst(str(model._meta.verbose_name))}


def claim_version(obj: models.Model, expected: int | None) -> None:
    """Raise ``obj``'s stored version from ``expected`` by one, or refuse: ConflictError.

    One conditional UPDATE, inside the caller's transaction: it holds the row until
    commit, so of two saves built from the same version exactly one passes. ``obj`` is
    given the new version, so that saving it afterwards writes the same number.
    """
    model = type(obj)
    if (
        expected is None
        or obj.pk is None
        or not model._base_manager.filter(pk=obj.pk, version=expected).update(
            version=F("version") + 1
        )
    ):
        raise ConflictError(conflict_message(model))
    obj.version = expected + 1  # type: ignore[attr-defined]


def check_version(current: models.Model, expected: int | None) -> None:
    """For a row the caller already read ``select_for_update``: refuse a stale version.

    The caller then writes the row with ``version`` raised (``bump``)."""
    if expected is None or current.version != expected:  # type: ignore[attr-defined]
        raise ConflictError(conflict_message(current))


def bump(obj: models.Model) -> None:
    """Raise the version of a row about to be saved by other use cases (a status change):
    a form opened before it is then refused instead of writing over it."""
    obj.version = F("version") + 1  # type: ignore[attr-defined]


def bump_versions(model: type[models.Model], pks: Any, chunk: int = 1000) -> None:
    """Raise the version of the rows a bulk write (an import) changed, so that a form
    opened before the write is refused instead of writing over it."""
    pks = sorted(set(pks))
    for start in range(0, len(pks), chunk):
        model._base_manager.filter(pk__in=pks[start : start + chunk]).update(
            version=F("version") + 1
        )


def parse_version(value: Any) -> int | None:
    """The version a form sent: a plain non-negative integer, else None (refused)."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    return int(text)


class VersionedFormMixin:
    """A form that edits a versioned record sends the version it was built from.

    The record is the ModelForm's ``instance``, or the ``record=`` a plain form is given. Bound to a POST that edits an existing record, a missing, malformed
    or stale version is a form error with the conflict message; ``expected_version`` is
    what the service claims, under its lock, for the saves that pass the form.
    """

    # False: the form leaves every version (missing, malformed, stale) to its service,
    # which refuses it with the same conflict (a page that answers conflicts apart, 409).
    check_version_in_form = True

    def __init__(self, *args: Any, record: models.Model | None = None, **kwargs: Any) -> None:
        self.versioned = record
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        if self.versioned is None:
            self.versioned = getattr(self, "instance", None)
        record = self.versioned
        self.fields[VERSION_FIELD] = forms.CharField(  # type: ignore[attr-defined]
            widget=forms.HiddenInput,
            required=False,
            initial=record.version if record is not None and record.pk else None,
        )

    def __setattr__(self, name: str, value: Any) -> None:
        # A crispy layout renders the fields it names; the hidden version goes with them.
        if name == "helper" and hasattr(value, "render_hidden_fields"):
            value.render_hidden_fields = True
        super().__setattr__(name, value)

    def versioned_record(self) -> models.Model | None:
        return self.versioned

    @property
    def expected_version(self) -> int | None:
        return parse_version(self.data.get(self.add_prefix(VERSION_FIELD)))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        record = self.versioned_record()
        if self.check_version_in_form and record is not None and record.pk:
            expected = self.expected_version
            if expected is None or expected != record.version:
                raise forms.ValidationError(conflict_message(record), code="conflict")
        data.pop(VERSION_FIELD, None)
        return data


class VersionForm(VersionedFormMixin, forms.Form):
    """The version alone, for pages whose formset edits the rows under one record (a
    campaign's phases, a pledge's commitments): ``VersionForm(request.POST, record=…)``."""

    def conflict(self) -> str:
        """The form's refusal, for a page that shows it as a message."""
        return " ".join(str(e) for e in self.non_field_errors())
