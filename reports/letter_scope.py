"""Which letters a reviewer or leader may open: those of their authority, as the assessment pages.

A letter belongs to the authority whose heading it prints (reports.forms.letter_agency, found as
the builder finds it): the root of its assessment's subject, or for a letter with no assessment
stored, of the assessment reports.facts.find_assessment would build it from; for a letter on a
period's metrics (PERIOD_KINDS), the authority whose units hold the period's figures.

A reviewer or leader bound to an authority's root (units.access.authority_root) sees its letters
only; another authority's letter answers 404 on every page, download and API endpoint. Reviewers
and leaders who are not bound (Vĩnh Linh's, at Phòng Nội vụ) see every letter, as before."""

from django.db.models import Q, QuerySet

from scoring.models import Period
from units.access import authority_root, subtree_ids

from .models import Letter


def bound_tree(user) -> set[int] | None:
    """The ids of the user's authority's units, or None when the user sees every authority."""
    root = None if user.is_superuser else authority_root(user)
    return subtree_ids(root) if root is not None else None


def letter_root_id(kind: str, period, assessment=None) -> int:
    """The root unit id of the authority a letter of ``kind`` for ``period`` (and ``assessment``)
    speaks for; reports.facts.LetterError when its data is missing, as building it would raise."""
    from . import wording
    from .facts import PERIOD_KINDS, find_assessment

    if kind in PERIOD_KINDS:
        return wording.agency(period=period)["root_id"]
    assessment = assessment or find_assessment(kind, period.code)
    return wording.agency(assessment.subject)["root_id"]


def visible_letters(user, letters: QuerySet[Letter] | None = None) -> QuerySet[Letter]:
    """``letters`` (all by default) narrowed to the user's authority, as the module says.

    Letters with an assessment are filtered in the query; those without one (a period's metric
    letters, older drafts) are few, and their authority is found once per kind and period."""
    from .facts import LetterError

    letters = Letter.objects.all() if letters is None else letters
    tree = bound_tree(user)
    if tree is None:
        return letters
    roots: dict[tuple, int | None] = {}
    mine = []
    for pk, kind, period_id in Letter.objects.filter(assessment__isnull=True).values_list("pk", "kind", "period_id"):
        if (kind, period_id) not in roots:
            try:
                roots[kind, period_id] = letter_root_id(kind, Period.objects.get(pk=period_id))
            except LetterError:
                roots[kind, period_id] = None  # no data behind it: nobody's letter yet, shown to unbound users only
        if roots[kind, period_id] in tree:
            mine.append(pk)
    return letters.filter(Q(assessment__subject_id__in=tree) | Q(pk__in=mine))


def letter_visible(user, letter: Letter) -> bool:
    """Whether ``user`` may open ``letter`` (one letter: its subject's root, else letter_root_id)."""
    from .facts import LetterError

    tree = bound_tree(user)
    if tree is None:
        return True
    if letter.assessment_id is not None:
        return letter.assessment.subject_id in tree
    try:
        return letter_root_id(letter.kind, letter.period) in tree
    except LetterError:
        return False


def creatable_here(user, kind: str, period, criteria_set=None) -> str:
    """"" when ``user`` may draft a letter of ``kind`` for ``period``, else why not (in Vietnamese):
    a bound reviewer drafts their own authority's letters only."""
    from . import wording
    from .facts import PERIOD_KINDS, LetterError, find_assessment

    tree = bound_tree(user)
    if tree is None:
        return ""
    try:
        if kind in PERIOD_KINDS:
            root_id, subject = letter_root_id(kind, period), wording.agency(period=period)["subject"]
        else:
            assessment = find_assessment(kind, period.code, criteria_set.code if criteria_set else None)
            root_id, subject = letter_root_id(kind, period, assessment), assessment.subject.name
    except LetterError:
        return ""  # the draft itself says what is missing
    if root_id in tree:
        return ""
    return (f"Văn bản này của kỳ {period.code} được lập từ số liệu của {subject}, không thuộc cơ quan của bạn; "
            "hãy chọn kỳ hoặc bộ tiêu chí của cơ quan mình.")
