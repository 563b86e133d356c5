"""What every stored upload keeps beside its file: checked by content, named by checksum."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from campaigns.uploads import CheckedUpload


class StoredUpload(models.Model):
    """An uploaded file checked by ``campaigns.uploads.inspect_upload``.

    A concrete model adds its owner, its ``file`` field (whose ``upload_to`` names
    the file by ``sha256`` and ``extension``, never by the uploader's name) and any
    kind; ``campaigns.uploads.stored`` writes the bytes and removes them again if
    the row cannot be saved.
    """

    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def describe(self, checked: CheckedUpload, *, by: AbstractBaseUser | None) -> None:
        """Take the checked file's facts; the name shown is made safe to download."""
        from campaigns.uploads import safe_filename

        self.original_name = safe_filename(checked.original_name)
        self.content_type = checked.content_type
        self.extension = checked.extension
        self.size = checked.size
        self.sha256 = checked.sha256
        self.uploaded_by = by
