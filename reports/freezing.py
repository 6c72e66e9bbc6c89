"""Issued letters keep what they said: their facts are frozen as a LetterVersion when issued.

``issue_letter`` enters the number and date the document system gave, builds the letter's facts
from today's data (reports.facts) and freezes them: the complete LetterDocument plus the scores or
metrics it was built from, serialised canonically (sorted keys, no spaces, UTF-8) and hashed with
SHA-256. From then on reports.facts.build_for_letter answers the frozen document, so a corrected
score never changes a letter already sent. A correction of the letter itself is a new version:
issue it again under a new number or date, or ``reissue_letter`` with a reason. ``diff_versions``
says which figures changed between two versions."""

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date as Date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from common.numbers import format_number

from .choices import LetterKind, LetterStatus
from .document import Appendix, Block, Column, LetterDocument, Row, Run, Table
from .models import Letter, LetterVersion

SCHEMA = 1
# Kinds whose figures come from the period's imported metrics (reports.metric_letters).
METRIC_KINDS = {LetterKind.HTNV_ROUND, LetterKind.DOCUMENT_PROCESSING, LetterKind.PROCEDURES}


class LetterIssueError(ValueError):
    """The letter cannot be issued as asked; the message says why, in Vietnamese."""


# -- canonical JSON --------------------------------------------------------------------------------


def canonical_json(payload: dict) -> str:
    """One text for one content: keys sorted, no spaces, non-ASCII kept as it is (Vietnamese)."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _decimal_text(value) -> str | None:
    """A Decimal as plain digits without trailing zeros, so the same figure always reads the same
    whichever database returned it ("12.500000" and "12.5" are one value)."""
    if value is None:
        return None
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "0") else text


def document_from_dict(data: dict) -> LetterDocument:
    """The inverse of dataclasses.asdict for a LetterDocument."""
    fields = dict(data)
    fields["blocks"] = [Block([Run(**run) for run in b["runs"]], b["style"], b["key"]) for b in data["blocks"]]
    fields["appendices"] = [
        Appendix(
            label=a["label"], title=a["title"], attached=a["attached"], subtitle=a.get("subtitle", ""),
            table=Table([Column(**c) for c in a["table"]["columns"]], [Row(**r) for r in a["table"]["rows"]],
                        a["table"].get("dense", False)),
        )
        for a in data["appendices"]
    ]
    return LetterDocument(**fields)


def source_figures(letter: Letter) -> dict:
    """The scores (assessment kinds) or the period's metrics (metric kinds) the letter was built from:
    the metrics of its own authority's units only, so that another authority importing figures of
    the same period never changes what this letter froze (its hash)."""
    from documents.models import MetricValue
    from units.access import subtree_ids
    from units.models import Unit

    from .facts import PERIOD_KINDS, LetterError, letter_assessment, score_lines
    from .letter_scope import letter_authority_id

    found = {}
    if letter.kind not in PERIOD_KINDS:
        assessment = letter_assessment(letter)
        found["assessment"] = {"id": assessment.pk, "set": assessment.criteria_set.code,
                               "period": assessment.period.code, "subject": assessment.subject.name}
        found["scores"] = {
            line.code: {"max": _decimal_text(line.max_score), "self": _decimal_text(line.self_score),
                        "appraised": _decimal_text(line.appraised), "comment": line.comment}
            for line in score_lines(assessment)
        }
    if letter.kind in METRIC_KINDS:
        root_id = letter_authority_id(letter)
        if root_id is None:
            raise LetterError("Không xác định được cơ quan ban hành của văn bản nên không chốt được số liệu.")
        metrics: dict[str, dict] = {}
        values = MetricValue.objects.filter(period_id=letter.period_id, unit_id__in=subtree_ids(Unit(pk=root_id)))
        for unit, key, value in values.values_list(
            "unit__name", "key", "value",
        ):
            metrics.setdefault(unit, {})[key] = _decimal_text(value)
        found["metrics"] = metrics
    return found


def freeze(letter: Letter) -> tuple[str, str]:
    """(canonical JSON, sha256) of the letter's facts as today's data builds them."""
    from .facts import build_live

    payload = {
        "schema": SCHEMA,
        "letter": {"id": letter.pk, "kind": letter.kind, "period": letter.period.code},
        "document": asdict(build_live(letter)),
        **source_figures(letter),
    }
    text = canonical_json(payload)
    return text, content_hash(text)


# -- issuing ---------------------------------------------------------------------------------------


def latest_version(letter: Letter) -> LetterVersion | None:
    return letter.versions.order_by("-version").first()


def version_document(version: LetterVersion) -> LetterDocument:
    """The document ``version`` was issued with, whichever version it is."""
    return document_from_dict(json.loads(version.facts)["document"])


def frozen_document(letter: Letter) -> LetterDocument | None:
    """The document an issued letter was issued with (its latest version); None for a draft."""
    if letter.status != LetterStatus.ISSUED:
        return None
    version = latest_version(letter)
    if version is None:
        return None
    return version_document(version)


@transaction.atomic
def issue_letter(letter: Letter, *, acting_user, number: str, date: Date, reason: str = "",
                 first: bool = False) -> LetterVersion:
    """Issue ``letter`` under ``number`` and ``date`` and freeze what it says as a new version.

    Issuing again under the same number and date is refused (nothing would be new): a correction of
    the same letter goes through reissue_letter, with its reason. ``first`` refuses a letter already
    issued (checked under the row lock): the page's «Ban hành» pressed twice, or by two reviewers at
    once, issues once."""
    number = (number or "").strip()
    if not number:
        raise LetterIssueError("Cần nhập số văn bản do hệ thống văn bản cấp.")
    if not isinstance(date, Date):
        raise LetterIssueError("Cần nhập ngày ban hành (dd/mm/yyyy).")
    current = Letter.objects.select_for_update(of=("self",)).select_related("period", "assessment").get(pk=letter.pk)
    last = latest_version(current)
    if first and last is not None:
        raise LetterIssueError(
            f"Văn bản đã ban hành số {last.number} ngày {last.date:%d/%m/%Y} (phiên bản {last.version}); "
            "muốn sửa thì dùng «Ban hành lại / đính chính» kèm lý do."
        )
    if last is not None and (last.number, last.date) == (number, date):
        raise LetterIssueError(
            f"Văn bản đã ban hành số {number} ngày {date:%d/%m/%Y} (phiên bản {last.version}); "
            "muốn sửa nội dung thì ban hành lại kèm lý do."
        )
    return _new_version(current, letter, acting_user=acting_user, number=number, date=date, reason=reason)


@transaction.atomic
def reissue_letter(letter: Letter, *, acting_user, reason: str) -> LetterVersion:
    """A new version of an issued letter under its number and date, with the facts of today's data.

    The reason is required; a reissue that would freeze exactly the same facts is refused."""
    if not (reason or "").strip():
        raise LetterIssueError("Cần ghi lý do ban hành lại văn bản.")
    current = Letter.objects.select_for_update(of=("self",)).select_related("period", "assessment").get(pk=letter.pk)
    last = latest_version(current)
    if current.status != LetterStatus.ISSUED or last is None:
        raise LetterIssueError("Văn bản chưa ban hành: hãy ban hành với số và ngày trước.")
    return _new_version(current, letter, acting_user=acting_user, number=last.number, date=last.date,
                        reason=reason.strip(), unchanged_from=last)


def correct_letter(letter: Letter, *, acting_user, reason: str, number: str = "", date: Date | None = None
                   ) -> LetterVersion:
    """A correction of an issued letter, with its reason: under a new number or date when given
    (issue_letter), else under the same ones with today's facts (reissue_letter, which refuses facts
    that did not change)."""
    reason = (reason or "").strip()
    if not reason:
        raise LetterIssueError("Cần ghi lý do ban hành lại / đính chính văn bản.")
    last = latest_version(letter)
    if last is None:
        raise LetterIssueError("Văn bản chưa ban hành: hãy ban hành với số và ngày trước.")
    number = (number or "").strip() or last.number
    date = date or last.date
    if (number, date) == (last.number, last.date):
        return reissue_letter(letter, acting_user=acting_user, reason=reason)
    return issue_letter(letter, acting_user=acting_user, number=number, date=date, reason=reason)


def _new_version(current: Letter, caller: Letter, *, acting_user, number, date, reason,
                 unchanged_from: LetterVersion | None = None) -> LetterVersion:
    current.number, current.date, current.status = number, date, LetterStatus.ISSUED
    # Files rendered before are of the draft or of an earlier version: the page says they are out of
    # date until they are rendered again (from this version).
    current.edited_at = timezone.now()
    current.save(update_fields=["number", "date", "status", "edited_at", "updated_at"])
    text, digest = freeze(current)
    if unchanged_from is not None and unchanged_from.sha256 == digest:
        raise LetterIssueError(
            f"Số liệu và nội dung không đổi so với phiên bản {unchanged_from.version}: không cần ban hành lại."
        )
    last = latest_version(current)
    version = LetterVersion.objects.create(
        letter=current, version=(last.version + 1) if last else 1, number=number, date=date, facts=text,
        sha256=digest, reason=reason, issued_by=acting_user if getattr(acting_user, "pk", None) else None,
        issued_at=timezone.now(),
    )
    for name in ("number", "date", "status", "edited_at", "updated_at"):
        setattr(caller, name, getattr(current, name))
    return version


# -- what changed between two versions -------------------------------------------------------------


@dataclass(frozen=True)
class FactChange:
    """One figure or line that differs between two versions: where, which, old → new ("" if absent)."""

    section: str
    label: str
    old: str
    new: str


def _shown(value) -> str:
    if value is None:
        return ""
    try:
        return format_number(Decimal(value))
    except (ArithmeticError, ValueError, TypeError):
        return str(value)


def diff_versions(old: LetterVersion, new: LetterVersion) -> list[FactChange]:
    """The figures and lines that changed from ``old`` to ``new``: headline figures, the scores or
    metrics behind them, the appendices' cells and the body's paragraphs."""
    a, b = json.loads(old.facts), json.loads(new.facts)
    changes: list[FactChange] = []
    da, db = a["document"], b["document"]
    for field, label in (("number_line", "Số văn bản"), ("place_date", "Địa danh, ngày")):
        if da[field] != db[field]:
            changes.append(FactChange("Văn bản", label, da[field], db[field]))
    for key in sorted(set(da["figures"]) | set(db["figures"])):
        if da["figures"].get(key) != db["figures"].get(key):
            changes.append(FactChange("Số liệu chính", key, da["figures"].get(key, ""), db["figures"].get(key, "")))
    scores_a, scores_b = a.get("scores", {}), b.get("scores", {})
    for code in sorted(set(scores_a) | set(scores_b)):
        for field, label in (("max", "điểm tối đa"), ("self", "điểm tự đánh giá"), ("appraised", "điểm thẩm định")):
            x, y = scores_a.get(code, {}).get(field), scores_b.get(code, {}).get(field)
            if x != y:
                changes.append(FactChange("Điểm", f"{code} — {label}", _shown(x), _shown(y)))
    metrics_a, metrics_b = a.get("metrics", {}), b.get("metrics", {})
    for unit in sorted(set(metrics_a) | set(metrics_b)):
        for key in sorted(set(metrics_a.get(unit, {})) | set(metrics_b.get(unit, {}))):
            x, y = metrics_a.get(unit, {}).get(key), metrics_b.get(unit, {}).get(key)
            if x != y:
                changes.append(FactChange("Số liệu", f"{unit} — {key}", _shown(x), _shown(y)))
    changes += _table_changes(da["appendices"], db["appendices"])
    texts_a = ["".join(r["text"] for r in block["runs"]) for block in da["blocks"]]
    texts_b = ["".join(r["text"] for r in block["runs"]) for block in db["blocks"]]
    for i in range(max(len(texts_a), len(texts_b))):
        x = texts_a[i] if i < len(texts_a) else ""
        y = texts_b[i] if i < len(texts_b) else ""
        if x != y:
            changes.append(FactChange("Nội dung", f"đoạn {i + 1}", x, y))
    return changes


def changes_from_previous(versions: list[LetterVersion]) -> dict[int, list[FactChange]]:
    """Each version's changes from the one before it (version 1: none), for versions of one letter
    already loaded (no query)."""
    ordered = sorted(versions, key=lambda v: v.version)
    return {new.version: diff_versions(old, new) for old, new in zip(ordered, ordered[1:])}


def _table_changes(old_appendices: list, new_appendices: list) -> list[FactChange]:
    """Cells that differ, rows matched by their first two cells (STT/code and name)."""
    changes = []
    by_label = {ap["label"]: ap for ap in old_appendices}
    for appendix in new_appendices:
        before = by_label.pop(appendix["label"], None)
        columns = [c["label"] for c in appendix["table"]["columns"]]
        old_rows = {tuple(r["cells"][:2]): r["cells"] for r in (before["table"]["rows"] if before else [])}
        for row in appendix["table"]["rows"]:
            key = tuple(row["cells"][:2])
            cells = old_rows.pop(key, None)
            name = " ".join(c for c in key if c).strip() or "dòng"
            if cells is None:
                changes.append(FactChange(appendix["label"], f"{name} (dòng mới)", "", " | ".join(row["cells"])))
                continue
            for i, (x, y) in enumerate(zip(cells, row["cells"])):
                if x != y:
                    column = columns[i] if i < len(columns) else f"cột {i + 1}"
                    changes.append(FactChange(appendix["label"], f"{name} — {column}", x, y))
        for key, cells in old_rows.items():
            name = " ".join(c for c in key if c).strip() or "dòng"
            changes.append(FactChange(appendix["label"], f"{name} (bỏ)", " | ".join(cells), ""))
    for label in by_label:
        changes.append(FactChange(label, "phụ lục (bỏ)", label, ""))
    return changes
