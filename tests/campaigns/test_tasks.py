import datetime
import os
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from campaigns import imports
from campaigns.tasks import purge_stale_imports


def test_stale_import_uploads_are_purged_and_fresh_ones_kept(settings):
    fresh = imports.stash(b"fresh")
    old_name = default_storage.save(f"{imports.STASH_DIR}/old.xlsx", ContentFile(b"old"))
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(old_name), (two_days_ago, two_days_ago))

    assert purge_stale_imports.delay().get() == 1

    assert not default_storage.exists(old_name)
    assert imports.load_stash(fresh) == b"fresh"


def test_purge_with_no_import_folder_does_nothing():
    assert imports.purge_stale_stashes(older_than=datetime.timedelta(0)) == 0


def test_the_purge_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "campaigns.purge_stale_imports" in tasks
