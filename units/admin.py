"""Admin of the unit registry and of users' roles; also the read-only base the other apps' admins use."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Authority, Membership, Unit, UnitAlias, UnitCode, UnitSuccession


class ReadOnlyAdminMixin:
    """Shown, never written here: audit rows, and rows that only an action function may write
    (scores, metric values, import batches, tasks), so that every change leaves its audit trail."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class UnitCodeInline(admin.TabularInline):
    model = UnitCode
    extra = 0


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 0
    fields = ["name", "folded"]
    readonly_fields = ["folded"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "sort_order", "active"]
    list_filter = ["kind", "active"]
    list_editable = ["sort_order", "active"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "aliases__name", "codes__code"]
    autocomplete_fields = ["parent"]
    inlines = [UnitCodeInline, UnitAliasInline]


@admin.register(UnitAlias)
class UnitAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "folded"]
    list_select_related = ["unit"]
    search_fields = ["name", "folded", "unit__name"]
    list_filter = ["unit__kind"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["folded"]


@admin.register(UnitCode)
class UnitCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "system", "unit"]
    list_select_related = ["unit"]
    search_fields = ["code", "unit__name"]
    list_filter = ["system"]
    autocomplete_fields = ["unit"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    list_filter = ["role"]
    # raw id, not autocomplete: reviewers may set roles but have no permission to search users.
    raw_id_fields = ["user"]
    autocomplete_fields = ["unit"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["unit"]


User = get_user_model()
# The role is set where the user is: one page to add a person and say who they are.
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserWithRoleAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "role", "is_staff", "is_active"]
    list_select_related = ["membership"]
    list_filter = ["membership__role", "is_staff", "is_active", "groups"]

    @admin.display(description="vai trò", ordering="membership__role")
    def role(self, user):
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["unit", "level", "place", "province", "short_name", "chairman"]
    list_select_related = ["unit"]
    list_filter = ["level"]
    search_fields = ["unit__name", "place", "province"]
    autocomplete_fields = ["unit"]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "effective_date", "legal_basis"]
    list_filter = ["kind"]
    date_hierarchy = "effective_date"
    search_fields = ["predecessors__name", "successors__name", "legal_basis"]
    autocomplete_fields = ["predecessors", "successors"]
