"""What the letter pages and the API do to letters: find or start a draft, save the reviewer's edits,
queue the rendering, and turn a remediation plan into tasks.

Views and API viewsets only parse the request and call these; the facts stay in reports.facts and
the files in reports.rendering_service."""

import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from . import wording
from .choices import LetterKind
from .document import Block, LetterDocument
from .facts import (
    PERIOD_KINDS, LetterError, build_for_letter, find_assessment, letter_assessment, num, score_lines, totals,
)
from .models import Letter
from .rendering_service import mark_queued
from .tasks import render_letter_task

WORDING = {
    LetterKind.HTNV_ROUND: wording.HTNV_ROUND,
    LetterKind.CCHC_REMEDIATION: wording.CCHC_REMEDIATION,
    LetterKind.DOCUMENT_PROCESSING: wording.DOCUMENT_PROCESSING,
    LetterKind.PROCEDURES: wording.PROCEDURES,
    LetterKind.REMEDIATION_PLAN: wording.REMEDIATION_PLAN,
}


def drafting_authority(user):
    """The root unit whose letters ``user`` drafts unless they choose another: the authority they
    are bound to (units.access.authority_root), else the one their pages speak for (authority_of:
    the registry's first for an unbound reviewer); None when no authority is declared."""
    from units.access import authority_of, authority_root
    from units.models import Authority

    if user is None:
        found = Authority.objects.select_related("unit").order_by("pk").first()
        return found.unit if found else None
    root = None if user.is_superuser else authority_root(user)
    if root is not None:
        return root
    found = authority_of(user)
    return found.unit if found else None


def draft_for(kind: str, period, criteria_set, *, acting_user, authority=None) -> Letter:
    """The latest draft of this kind for the period and authority (and the authority's assessment),
    or a new one.

    ``authority`` is the root unit the letter speaks for, by default the drafting user's
    (drafting_authority): Vĩnh Linh and the province each keep their own letter of a kind for the
    same period. A letter of an assessment belongs to the root of the assessment's subject. Reusing
    the draft keeps the reviewer's wording, as the render_letter command does. Raises LetterError (in
    Vietnamese) when the kind needs an assessment the period does not have."""
    authority = authority or drafting_authority(acting_user)
    assessment = None
    if kind not in PERIOD_KINDS:
        assessment = find_assessment(kind, period.code, criteria_set.code if criteria_set else None, root=authority)
        authority = assessment.subject
    drafts = Letter.objects.filter(kind=kind, period=period, assessment=assessment, authority=authority)
    return drafts.order_by("-updated_at", "-id").first() or Letter.objects.create(
        kind=kind, period=period, assessment=assessment, authority=authority, created_by=acting_user,
    )


def queue_render(letter: Letter, fmt: str = "all") -> str:
    """Mark the letter queued (the first poll already says so), then send the Celery task; its id."""
    mark_queued(letter)
    return render_letter_task.delay(letter.pk, fmt).id


# -- the draft as the edit form shows it -----------------------------------------------------------


def block_markup(block: Block) -> str:
    """A block back in the reviewer's notation (``**bold**``, ``*italic*``), the inverse of parse_runs."""
    parts = []
    for run in block.runs:
        if run.bold:
            parts.append(f"**{run.text}**")
        elif run.italic:
            parts.append(f"*{run.text}*")
        else:
            parts.append(run.text)
    return "".join(parts)


def paragraph_texts(document: LetterDocument) -> dict[str, str]:
    """The text of each paragraph key, in order; a key that makes several paragraphs joins them with
    a blank line, the form in which the reviewer types several paragraphs."""
    texts: dict[str, list[str]] = {}
    for block in document.blocks:
        texts.setdefault(block.key, []).append(block_markup(block))
    return {key: "\n\n".join(parts) for key, parts in texts.items()}


def default_document(letter: Letter) -> LetterDocument:
    """The letter as it reads with none of the reviewer's choices: the defaults of its kind filled
    with today's figures. An unsaved copy is built, so nothing is written."""
    pristine = Letter(kind=letter.kind, period=letter.period, assessment=letter.assessment,
                      authority=letter.authority, body={})
    return build_for_letter(pristine)


def normalise(text: str) -> str:
    """Line ends and spaces at line ends do not make a paragraph different."""
    lines = [line.rstrip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


@transaction.atomic
def save_draft(letter: Letter, *, acting_user, fields: dict, body: dict) -> Letter:
    """Store the reviewer's edits: the Letter fields given (number, date, subject, recipients,
    signer) and the draft's body (paragraphs, distribution, signature, kind-specific figures).

    ``body`` replaces the stored one as a whole: the form sends every value it shows, and what equals
    the default was already left out by the form so that the figures of untouched paragraphs stay live.
    Marks the time of the edit so the page can say the files are older than the draft."""
    current = Letter.objects.select_for_update().get(pk=letter.pk)
    for name, value in fields.items():
        setattr(current, name, value)
    current.body = body
    current.edited_at = timezone.now()
    current.save(update_fields=[*fields, "body", "edited_at", "updated_at"])
    return current


# -- remediation plan → tasks ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    """One row of the plan as a task: a deducted criterion, one responsible unit, what to do, by when."""

    criterion_code: str
    unit_name: str
    action: str
    deadline: date | None


_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def parse_deadline(text: str) -> date | None:
    """"30/11/2024" → date(2024, 11, 30); blank → None; anything else raises LetterError."""
    if not (text or "").strip():
        return None
    match = _DATE.match(text)
    try:
        if not match:
            raise ValueError
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    except ValueError:
        raise LetterError(f"Thời hạn «{text}» không đúng dạng ngày/tháng/năm (ví dụ 30/11/2024).") from None


def plan_deadline(letter: Letter | None, assessment) -> date | None:
    """The plan's completion deadline: the draft's when given, else the kind's default (30/11 of the
    next year), the same date the plan prints beside every row of its second appendix."""
    document = build_for_letter(letter) if letter else None
    if document is None:
        from .facts import remediation_plan

        document = remediation_plan(assessment, None)
    return parse_deadline(document.figures.get("completion_deadline", ""))


def plan_rows(assessment, letter: Letter | None = None) -> list[PlanRow]:
    """The deducted criteria of the HTNV assessment, one row per responsible unit, in plan order.

    The same lines and units as the plan's appendices (reports.facts.score_lines): a criterion shared
    by several units gives each unit its own task. The action is the council's reason for the
    deduction, which is what the unit must remedy (the criterion itself is on the task); a criterion
    with no responsible unit gives no task: there is nobody to assign it to."""
    deadline = plan_deadline(letter, assessment)
    rows = []
    for line in totals(score_lines(assessment)).deducted:
        action = line.comment or f"Khắc phục tiêu chí {line.code} (bị trừ {num(line.deduction)} điểm)"
        for unit in line.units:
            rows.append(PlanRow(line.code, unit, action, deadline))
    return rows


def tasks_from_plan(letter: Letter, *, acting_user):
    """Create the remediation tasks of a remediation-plan letter (idempotent); see
    scoring.actions.create_tasks_from_plan."""
    from scoring.actions import create_tasks_from_plan

    if letter.kind != LetterKind.REMEDIATION_PLAN:
        raise LetterError("Chỉ kế hoạch khắc phục mới tạo được nhiệm vụ khắc phục.")
    assessment = letter_assessment(letter)
    return create_tasks_from_plan(assessment, plan_rows(assessment, letter), acting_user=acting_user)


def tasks_from_assessment(assessment, *, acting_user):
    """The same tasks straight from the HTNV assessment's deductions, with the default deadline."""
    from scoring.actions import create_tasks_from_plan

    return create_tasks_from_plan(assessment, plan_rows(assessment), acting_user=acting_user)
