"""Admin of letters and plans: drafts are edited on their own pages; here reviewers can find them,
set a draft's number and date, or remove a stray draft.

A letter is issued only on its page (or the API), through reports.freezing.issue_letter, which
freezes what it says: the status is never set here, and an issued letter's number and date are
those of its versions (a correction is a new version, «Ban hành lại / đính chính»)."""

from django.contrib import admin

from .choices import LetterStatus
from .models import Letter


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "period", "number", "date", "status", "signer", "created_by", "updated_at"]
    list_filter = ["kind", "status", "period"]
    list_select_related = ["period", "created_by"]
    search_fields = ["number", "subject", "signer"]
    autocomplete_fields = ["period", "assessment"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["status", "created_at", "updated_at"]
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and (obj.status == LetterStatus.ISSUED or obj.versions.exists()):
            fields += ["number", "date"]
        return fields


from units.admin import ReadOnlyModelAdmin  # noqa: E402

from .models import LetterVersion  # noqa: E402


@admin.register(LetterVersion)
class LetterVersionAdmin(ReadOnlyModelAdmin):
    """Frozen at issue (reports.freezing.issue_letter); never edited, a correction is a new version."""

    list_display = ["letter", "version", "number", "date", "sha256", "issued_by", "issued_at"]
    list_filter = ["letter__kind"]
    list_select_related = ["letter__period", "issued_by"]
    search_fields = ["number", "sha256"]
