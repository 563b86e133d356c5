"""Load the demo data of every app (each app's ``demo.load``), then print the logins.

Apps are visited in INSTALLED_APPS order, which follows the dependency order
(campaigns → pledges → awards → reports), so campaigns needs no import of the others.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa từ các bài viết gốc (chạy nhiều lần không tạo bản trùng)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Nạp cả khi DEBUG tắt (chỉ dùng cho kiểm thử).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from campaigns.demo import DEMO_PASSWORD

        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("Dữ liệu minh họa có mật khẩu công khai: chỉ nạp khi DEBUG=true.")

        logins: list[tuple[str, str]] = []
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            logins += import_module(module_name).load(self.stdout)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):")
        )
        for username, description in logins:
            self.stdout.write(f"  {username:<16} {description}")
