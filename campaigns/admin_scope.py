"""The admin site's reach, decided once per ModelAdmin class and applied by the site.

Every ModelAdmin has one of three policies:

- ``ScopedModelAdmin``: records owned by units. A superuser reaches all of them. Any
  other staff user reaches, as far as their model permissions go, only the rows owned
  by a unit they administer (``access.administered_q``: the subtrees of the units they
  hold ADMINISTRATOR for; nothing without such a grant): the changelist, search,
  autocomplete and raw-id popups list only those, a change, delete, history or password
  page of any other row answers 404, and every relation on a form offers only rows the
  user may reach (plus the values the record already holds, so an untouched form still
  saves). A save that would leave the scope (a parent emptied, a role moved) is
  refused and rolled back.
- ``ReferenceDataAdmin``: national reference data that belongs to no unit (the awards
  catalogue): the user's model permissions decide, as Django does.
- ``SuperuserOnlyAdmin``: everything else: groups, permissions, login attempts, and any
  ModelAdmin registered without a policy (``ThiDuaAdminSite.register`` wraps it).

Users are scoped records too (campaigns/admin.py): a body's administrator manages the
accounts tied only to their subtree (``managed_users_q``), never a staff or superuser
account, never their own, and never a superuser/staff flag, group or permission.
Reverting to an old version from the history is for superusers only.

Policy and figures: docs/reliability.md, "Access: the admin site".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from . import access

# Model → the paths from it to the units that own its rows, for models that are
# offered on admin forms without being registered themselves (a round's phase).
_RELATED_SCOPES: dict[type[models.Model], tuple[str, ...]] = {}

# Ties between a user and what their account reaches outside the role table (a bloc's
# secretariat, a council session's members): each function returns, for the acting
# user, the ids of users tied inside their scope and of users tied outside it.
UserTies = Callable[[Any], tuple[QuerySet, QuerySet]]
_USER_TIES: list[UserTies] = []

# The request attribute that carries the object whose form is being built.
_FORM_OBJECT = "_admin_scope_form_object"
_OWNS_CACHE = "_admin_scope_owns"


def _superuser(request: HttpRequest) -> bool:
    return access.is_superuser(request.user)


def owned_q(user: Any, fields: Iterable[str]) -> Q:
    """Rows owned by a unit the user administers, through ``fields`` ("" = the unit itself).

    With several fields (a rating is a person's or a unit's) every field that is set
    must point inside, and at least one must be set.
    """
    fields = tuple(fields)
    if access.is_superuser(user):
        return Q()
    if len(fields) == 1:
        return access.administered_q(user, fields[0])
    inside, present = Q(), Q()
    for field in fields:
        inside &= Q(**{f"{field}__isnull": True}) | access.administered_q(user, field)
        present |= Q(**{f"{field}__isnull": False})
    return inside & present


def scope_related(model: type[models.Model], *fields: str) -> None:
    """Declare how rows of an unregistered model are owned, so forms can offer them."""
    _RELATED_SCOPES[model] = fields


def user_ties(func: UserTies) -> UserTies:
    """Register a kind of tie between users and units (decorator; see managed_users_q)."""
    _USER_TIES.append(func)
    return func


def managed_users_q(user: Any) -> Q:
    """The accounts a body's administrator manages.

    Neither staff nor superuser; tied to their subtree by at least one role (or bloc
    secretariat, or council seat); tied to nothing outside it. Taking over an account
    that also holds a role elsewhere would reach that elsewhere, so such an account is
    left to a superuser.
    """
    if access.is_superuser(user):
        return Q()
    inside, outside = Q(pk__in=[]), Q()
    for ties in _USER_TIES:
        tied_inside, tied_outside = ties(user)
        inside |= Q(pk__in=tied_inside)
        outside &= ~Q(pk__in=tied_outside)
    return Q(is_superuser=False, is_staff=False) & inside & outside


def choices_for(
    site: admin.AdminSite, request: HttpRequest, model: type[models.Model]
) -> QuerySet | None:
    """The rows a non-superuser may pick for a relation to ``model``; None: any row."""
    try:
        model_admin = site.get_model_admin(model)
    except NotRegistered:
        model_admin = None
    if isinstance(model_admin, ScopedModelAdmin):
        return model_admin.get_queryset(request)
    if isinstance(model_admin, ReferenceDataAdmin):
        return None
    if model in _RELATED_SCOPES:
        return model._default_manager.filter(owned_q(request.user, _RELATED_SCOPES[model]))
    return model._default_manager.none()  # nothing known about it: nothing to pick


class AdminPolicy:
    """Base of the policies: a ModelAdmin without one is made superuser-only by the site."""


class SuperuserOnlyAdmin(AdminPolicy):
    """Nothing for anyone but a superuser, whatever their permissions say."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _superuser(request) and super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _superuser(request) and super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _superuser(request) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _superuser(request) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _superuser(request) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class _SuperuserReverts:
    """simple_history's old-version page saves a POST for anyone who may merely view the
    history, loading the version without the admin's queryset: here only a superuser
    reverts; the others read (``ScopedModelAdmin`` checks the record is in reach first)."""

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        if not _superuser(request) and request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]


class ReferenceDataAdmin(_SuperuserReverts, AdminPolicy):
    """National reference data (the catalogue): the model permissions decide."""


class _ScopedChoices:
    """Relations on the forms offer only rows the user reaches, plus the current values.

    The current values come from the object whose form is built (``get_form``) or, for
    an inline, from the parent's existing rows (``get_formset``): a record that already
    points outside (a bloc member of another body) keeps pointing there when saved,
    and nothing new can be pointed outside.
    """

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        limited = self._limit_choices(db_field, request, kwargs)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if limited and field is not None and db_field.name in self._required_relations():
            field.required = True
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def _required_relations(self) -> tuple[str, ...]:
        return ()

    def _limit_choices(self, db_field: Any, request: HttpRequest, kwargs: dict) -> bool:
        if request is None or _superuser(request) or "queryset" in kwargs:
            return False
        model = db_field.remote_field.model
        allowed = choices_for(self.admin_site, request, model)  # type: ignore[attr-defined]
        if allowed is None:
            return False
        current = self._current_values(request, db_field)
        if current:
            queryset = model._default_manager.filter(
                Q(pk__in=allowed.values("pk")) | Q(pk__in=current)
            )
            ordering = allowed.query.order_by
            allowed = queryset.order_by(*ordering) if ordering else queryset
        kwargs["queryset"] = allowed
        return True

    def _current_values(self, request: HttpRequest, db_field: Any) -> list[Any]:
        obj = getattr(request, _FORM_OBJECT, None)
        if obj is None or obj.pk is None:
            return []
        if isinstance(self, InlineModelAdmin):
            rows = self.model._default_manager.filter(**{self._parent_link(): obj})
            path = f"{db_field.name}__pk" if db_field.many_to_many else db_field.attname
            return [v for v in rows.values_list(path, flat=True) if v is not None]
        if db_field.model is not type(obj) and not isinstance(obj, db_field.model):
            return []  # a historical row's relations are not the record's
        if db_field.many_to_many:
            return list(getattr(obj, db_field.name).values_list("pk", flat=True))
        value = getattr(obj, db_field.attname, None)
        return [] if value is None else [value]

    def _parent_link(self) -> str:
        if getattr(self, "fk_name", None):
            return self.fk_name  # type: ignore[attr-defined]
        for field in self.model._meta.fields:  # type: ignore[attr-defined]
            if field.is_relation and issubclass(self.parent_model, field.related_model):  # type: ignore[attr-defined]
                return field.name
        raise ImproperlyConfigured(f"{type(self).__name__}: no link to its parent")


def _with_form_object(request: HttpRequest, obj: Any, build: Callable[[], Any]) -> Any:
    previous = getattr(request, _FORM_OBJECT, None)
    setattr(request, _FORM_OBJECT, obj)
    try:
        return build()
    finally:
        setattr(request, _FORM_OBJECT, previous)


class ScopedInline(_ScopedChoices, AdminPolicy):
    """An inline of a scoped ModelAdmin: the parent decides who reaches it."""

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        parent = super()
        return _with_form_object(
            request,
            obj,
            lambda: parent.get_formset(request, obj, **kwargs),  # type: ignore[misc]
        )


class ScopedModelAdmin(_ScopedChoices, _SuperuserReverts, AdminPolicy):
    """Rows owned by units: a non-superuser reaches those of the units they administer.

    ``scope_fields`` are the paths from the model to the owning unit ("" when the model
    is the unit); ``scope_filter`` may narrow further (users: ``managed_users_q``).
    """

    scope_fields: tuple[str, ...] = ()

    def __init__(self, model: type[models.Model], admin_site: admin.AdminSite) -> None:
        super().__init__(model, admin_site)  # type: ignore[call-arg]
        if not self.scope_fields and type(self).scope_filter is ScopedModelAdmin.scope_filter:
            raise ImproperlyConfigured(f"{type(self).__name__} names no scope_fields")
        for inline in self.inlines:  # type: ignore[attr-defined]
            if not issubclass(inline, ScopedInline):
                raise ImproperlyConfigured(
                    f"{type(self).__name__}: inline {inline.__name__} is not a ScopedInline"
                )

    # The rows -----------------------------------------------------------------------------

    def scope_filter(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(owned_q(request.user, self.scope_fields))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return queryset if _superuser(request) else self.scope_filter(request, queryset)

    def _owns(self, request: HttpRequest, obj: Any) -> bool:
        """The stored row (not the object in hand, maybe a historical copy) is in scope."""
        if obj is None or _superuser(request):
            return True
        cache = request.__dict__.setdefault(_OWNS_CACHE, {})
        key = (self.model, obj.pk)  # type: ignore[attr-defined]
        if key not in cache:
            cache[key] = (
                obj.pk is not None and self.get_queryset(request).filter(pk=obj.pk).exists()
            )
        return cache[key]

    # Permissions --------------------------------------------------------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.administers(request.user) and super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            access.administers(request.user)
            and super().has_view_permission(request, obj)  # type: ignore[misc]
            and self._owns(request, obj)
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return access.administers(request.user) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            access.administers(request.user)
            and super().has_change_permission(request, obj)  # type: ignore[misc]
            and self._owns(request, obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            access.administers(request.user)
            and super().has_delete_permission(request, obj)  # type: ignore[misc]
            and self._owns(request, obj)
        )

    # Forms --------------------------------------------------------------------------------

    def _required_relations(self) -> tuple[str, ...]:
        # The one owning relation of a row must stay set, or the row leaves the scope.
        return self.scope_fields if len(self.scope_fields) == 1 else ()

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        parent = super()
        return _with_form_object(
            request,
            obj,
            lambda: parent.get_form(request, obj, **kwargs),  # type: ignore[misc]
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        if _superuser(request):
            return
        # The form's choices keep a save inside; this catches what they cannot (a row owned
        # through two optional relations, a user whose last role was removed). The admin
        # saves in one transaction, which the refusal rolls back.
        if not self.get_queryset(request).filter(pk=form.instance.pk).exists():
            raise PermissionDenied("the saved record would leave the administrator's scope")

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = super().get_list_filter(request)  # type: ignore[misc]
        if _superuser(request):
            return filters
        # A related-field filter lists every row of the related model: offer only the
        # values found in the rows the user reaches.
        scoped = []
        for item in filters:
            if isinstance(item, str) and self._is_relation(item):
                item = (item, RelatedOnlyFieldListFilter)
            scoped.append(item)
        return scoped

    def _is_relation(self, path: str) -> bool:
        try:
            return bool(get_fields_from_path(self.model, path)[-1].is_relation)  # type: ignore[attr-defined]
        except (FieldDoesNotExist, IndexError):
            return False

    # Routes -------------------------------------------------------------------------------

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: Any
    ) -> Any:
        # Django redirects to the index with "doesn't exist"; a 404, as on every page of
        # the app, says the same for a missing row and for a row out of reach.
        raise Http404

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        # simple_history falls back to a deleted row's last version; out of reach is a 404.
        if not _superuser(request) and self.get_object(request, unquote(object_id)) is None:  # type: ignore[attr-defined]
            raise Http404
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        """An old version is shown only to those who reach the stored record."""
        if not _superuser(request) and self.get_object(request, unquote(object_id)) is None:  # type: ignore[attr-defined]
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class ThiDuaAdminSite(admin.AdminSite):
    """The default admin site (config/apps.py): a ModelAdmin without a policy is
    registered superuser-only, whoever registers it (auth's groups, axes' logs)."""

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AdminPolicy):
            admin_class = type(
                admin_class.__name__,
                (SuperuserOnlyAdmin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)
