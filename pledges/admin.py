from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Bloc, BlocMembership, BlocSecretariat


class MembershipInline(admin.TabularInline):
    model = BlocMembership
    extra = 0
    autocomplete_fields = ["unit"]


class SecretariatInline(admin.TabularInline):
    model = BlocSecretariat
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Bloc)
class BlocAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "organiser", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "short_name", "search_text"]
    autocomplete_fields = ["organiser"]
    inlines = [MembershipInline, SecretariatInline]
