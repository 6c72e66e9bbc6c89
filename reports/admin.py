"""Admin of letters and plans: drafts are edited on their own pages; here reviewers can find,
correct the number and date once the document system has issued them, or remove a stray draft."""

from django.contrib import admin

from .models import Letter


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "period", "number", "date", "status", "signer", "created_by", "updated_at"]
    list_filter = ["kind", "status", "period"]
    list_select_related = ["period", "created_by"]
    search_fields = ["number", "subject", "signer"]
    autocomplete_fields = ["period", "assessment"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "date"


from units.admin import ReadOnlyModelAdmin  # noqa: E402

from .models import LetterVersion  # noqa: E402


@admin.register(LetterVersion)
class LetterVersionAdmin(ReadOnlyModelAdmin):
    """Frozen at issue (reports.freezing.issue_letter); never edited, a correction is a new version."""

    list_display = ["letter", "version", "number", "date", "sha256", "issued_by", "issued_at"]
    list_filter = ["letter__kind"]
    list_select_related = ["letter__period", "issued_by"]
    search_fields = ["number", "sha256"]
