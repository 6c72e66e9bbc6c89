"""Every write that changes a score goes through here: atomic, with the acting user, audited.

Views, the API, imports and the demo loader call these functions; none of them saves a Score's
values themselves."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from common.numbers import format_number, parse_number

from .choices import AssessmentStatus
from .models import Score, ScoreChange

SCORE_FIELDS = ("self_score", "computed_score", "appraised_score")
TEXT_FIELDS = ("comment", "evidence", "responsible_text")
EDITABLE_FIELDS = SCORE_FIELDS + TEXT_FIELDS + ("responsible_units",)
FIELD_LABELS = {
    "self_score": "điểm tự đánh giá",
    "computed_score": "điểm tính từ số liệu",
    "appraised_score": "điểm thẩm định",
    "comment": "ý kiến hội đồng thẩm định",
    "evidence": "tài liệu kiểm chứng",
    "responsible_text": "đơn vị chịu trách nhiệm (nội dung)",
    "responsible_units": "đơn vị chịu trách nhiệm",
}
CENT = Decimal("0.01")


class ScoreWriteError(Exception):
    """A score write was refused; the message is for the user, in Vietnamese."""


class StaleScoreError(ScoreWriteError):
    """Someone saved the score after the user loaded it; carries what is stored now."""

    def __init__(self, score: Score, expected_version: int):
        self.current_version = score.version
        self.expected_version = expected_version
        self.current = {f: getattr(score, f) for f in SCORE_FIELDS + TEXT_FIELDS}
        self.current["responsible_units"] = [u.name for u in score.responsible_units.all()]
        shown = ", ".join(
            f"{FIELD_LABELS[f]}: {format_number(self.current[f]) or 'trống'}" for f in SCORE_FIELDS
        )
        super().__init__(
            f"Điểm tiêu chí {score.criterion.code} đã được người khác sửa (bạn sửa từ phiên bản {expected_version}, "
            f"hiện là phiên bản {score.version}; {shown}). Tải lại trang để xem giá trị mới rồi sửa lại."
        )


def _as_score(field: str, value, score: Score) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = parse_number(value)
    except ValueError:
        raise ScoreWriteError(f'{FIELD_LABELS[field].capitalize()} "{value}" không phải là số.') from None
    number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    maximum = score.criterion.max_score
    if number < 0 or number > maximum:
        raise ScoreWriteError(
            f"{FIELD_LABELS[field].capitalize()} {format_number(number)} nằm ngoài khoảng 0 – {format_number(maximum)} "
            f"(điểm tối đa của tiêu chí {score.criterion.code})."
        )
    return number


def _audit_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


@transaction.atomic
def set_score(score: Score, *, acting_user, reason: str = "", expected_version: int | None = None,
              **fields) -> list[ScoreChange]:
    """Change some fields of a score; one ScoreChange per field whose value really changes.

    ``expected_version`` is the version the user loaded: if someone saved since, nothing is written
    and StaleScoreError says what is stored now. A locked assessment refuses every change. Bumps
    ``version`` once per call that changes anything; returns the audit rows written (none if nothing
    changed). Score values are rounded half-up to 2 decimals and must lie within 0 – max.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"set_score() cannot change {', '.join(sorted(unknown))}")
    current = Score.objects.select_for_update().select_related("assessment", "criterion").get(pk=score.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleScoreError(current, expected_version)

    changes: list[ScoreChange] = []
    changed_fields: list[str] = []
    new_units = None
    for name, value in fields.items():
        if name == "responsible_units":
            old_names = sorted(u.name for u in current.responsible_units.all())
            new_units = list(value)
            new_names = sorted(u.name for u in new_units)
            if old_names != new_names:
                changes.append(ScoreChange(score=current, field=name, old_value="; ".join(old_names),
                                           new_value="; ".join(new_names), reason=reason, changed_by=acting_user))
            else:
                new_units = None
            continue
        new = _as_score(name, value, current) if name in SCORE_FIELDS else ("" if value is None else str(value))
        old = getattr(current, name)
        if old == new:
            continue
        setattr(current, name, new)
        changed_fields.append(name)
        changes.append(ScoreChange(score=current, field=name, old_value=_audit_text(old), new_value=_audit_text(new),
                                   reason=reason, changed_by=acting_user))
    if not changes:
        return []
    # Checked after comparing, so that re-saving unchanged values of a locked assessment is harmless.
    if current.assessment.status == AssessmentStatus.LOCKED:
        raise ScoreWriteError(
            f"Đợt đánh giá {current.assessment} đã chốt điểm; không sửa được tiêu chí {current.criterion.code}."
        )

    current.version += 1
    current.save(update_fields=changed_fields + ["version", "updated_at"])
    if new_units is not None:
        current.responsible_units.set(new_units)
    written = ScoreChange.objects.bulk_create(changes)
    # Keep the caller's instance in step with what was stored.
    for name in changed_fields + ["version", "updated_at"]:
        setattr(score, name, getattr(current, name))
    return written
