"""Media storage that never leaves a half-written file under its final name.

Django's FileSystemStorage streams the bytes straight into the final file; when
the disk fills up half way (ENOSPC) the truncated file stays there, under a name
nobody records, and backups and later uploads of the same name trip over it.
Here the bytes go to a private temporary file in the same directory first, and
only a complete file is linked into place (``os.link`` is atomic and refuses an
existing name, so a concurrent upload of the same name is never replaced). On
any failure the temporary file is removed and the error goes up to the service,
which rolls back and tells the user.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Any

from django.core.files.storage import FileSystemStorage

PARTIAL_PREFIX = ".partial-"


class MediaStorage(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        if hasattr(content, "temporary_file_path"):
            return super()._save(name, content)  # already a whole file on disk: moved by rename
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=PARTIAL_PREFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                out.flush()
                os.fsync(out.fileno())
            while True:
                try:
                    os.link(temporary, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        os.chmod(full_path, self.file_permissions_mode or 0o644)
        if hasattr(self, "_ensure_location_group_id"):
            self._ensure_location_group_id(full_path)
        return os.path.relpath(full_path, self.location).replace("\\", "/")
