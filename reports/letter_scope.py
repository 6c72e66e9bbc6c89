"""Which letters a reviewer or leader may open: those of their authority, as the assessment pages.

A letter belongs to the authority whose heading it prints: Letter.authority, set when it is
drafted (reports.services.draft_for). A row older than that field, which the migration could not
place, is found as the builder found it then: the root of its assessment's subject, or for a letter
with no assessment stored, of the assessment reports.facts.find_assessment would build it from; for
a letter on a period's metrics (PERIOD_KINDS), the authority whose units hold the period's figures.

A reviewer or leader bound to an authority's root (units.access.authority_root) sees its letters
only; another authority's letter answers 404 on every page, download and API endpoint. Reviewers
and leaders of no unit see every letter."""

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


def letter_authority_id(letter: Letter) -> int | None:
    """The root unit id of ``letter``'s authority: its own field, else as found before the field
    existed (letter_root_id); None when its data is missing, so nobody's letter yet."""
    from .facts import LetterError

    if letter.authority_id is not None:
        return letter.authority_id
    try:
        return letter_root_id(letter.kind, letter.period, letter.assessment)
    except LetterError:
        return None


def visible_letters(user, letters: QuerySet[Letter] | None = None) -> QuerySet[Letter]:
    """``letters`` (all by default) narrowed to the user's authority, as the module says.

    Letters with an authority (every letter drafted since the field) are filtered in the query, as
    are older ones with an assessment; the rest (older metric letters) are few, and their authority
    is found once per kind and period."""
    from .facts import LetterError

    letters = Letter.objects.all() if letters is None else letters
    tree = bound_tree(user)
    if tree is None:
        return letters
    roots: dict[tuple, int | None] = {}
    mine = []
    unplaced = Letter.objects.filter(authority__isnull=True, assessment__isnull=True)
    for pk, kind, period_id in unplaced.values_list("pk", "kind", "period_id"):
        if (kind, period_id) not in roots:
            try:
                roots[kind, period_id] = letter_root_id(kind, Period.objects.get(pk=period_id))
            except LetterError:
                roots[kind, period_id] = None  # no data behind it: nobody's letter yet, shown to unbound users only
        if roots[kind, period_id] in tree:
            mine.append(pk)
    return letters.filter(Q(authority_id__in=tree)
                          | Q(authority__isnull=True, assessment__subject_id__in=tree)
                          | Q(pk__in=mine))


def letter_visible(user, letter: Letter) -> bool:
    """Whether ``user`` may open ``letter`` (one letter: its authority, else its subject's root, else
    letter_root_id)."""
    tree = bound_tree(user)
    if tree is None:
        return True
    if letter.authority_id is None and letter.assessment_id is not None:
        return letter.assessment.subject_id in tree
    return letter_authority_id(letter) in tree


def has_figures(root, period) -> bool:
    """Whether any unit of ``root``'s tree holds metric values of ``period``."""
    from documents.models import MetricValue

    return MetricValue.objects.filter(period=period, unit_id__in=subtree_ids(root)).exists()


def creatable_here(user, kind: str, period, criteria_set=None, authority=None) -> str:
    """"" when ``user`` may draft a letter of ``kind`` for ``period`` as ``authority`` (a root unit;
    for a bound user, theirs), else why not (in Vietnamese): a bound reviewer drafts their own
    authority's letters only, and not a metric letter of a period whose figures are another's."""
    from . import wording
    from .facts import PERIOD_KINDS, LetterError, find_assessment

    tree = bound_tree(user)
    if tree is None:
        return ""
    if authority is not None and authority.pk not in tree:
        return "Cơ quan đã chọn không phải cơ quan của bạn; bạn chỉ soạn văn bản của cơ quan mình."
    set_code = criteria_set.code if criteria_set else None
    try:
        if kind in PERIOD_KINDS:
            if authority is not None and has_figures(authority, period):
                return ""
            # None of its own: refused when the period's figures (or, with none, the registry's
            # first authority) are another's, as before letters had an authority.
            root_id, subject = letter_root_id(kind, period), wording.agency(period=period)["subject"]
        else:
            if authority is not None:
                try:
                    find_assessment(kind, period.code, set_code, root=authority)
                    return ""
                except LetterError:
                    pass  # not the authority's own: say whose it would be, below
            assessment = find_assessment(kind, period.code, set_code)
            root_id, subject = letter_root_id(kind, period, assessment), assessment.subject.name
    except LetterError:
        return ""  # the draft itself says what is missing
    if root_id in tree:
        return ""
    return (f"Văn bản này của kỳ {period.code} được lập từ số liệu của {subject}, không thuộc cơ quan của bạn; "
            "hãy chọn kỳ hoặc bộ tiêu chí của cơ quan mình.")
