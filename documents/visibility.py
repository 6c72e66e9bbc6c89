"""Which import batches, metric values and late dossiers a reviewer or leader may see.

A provincial export often lists every unit of the province, so one file (one batch) can hold the
figures of two authorities' trees. A reviewer or leader bound to an authority's root
(units.access.authority_root) therefore sees:

- the batches imported for their authority (ImportBatch.authority: superseded ones too, whose values
  are gone), that hold a metric value or a late dossier of a unit of their tree, or that someone
  of their tree uploaded (themselves included: a file refused for its errors holds no value yet, and
  its uploader and their colleagues still look for it in the history);
- inside a batch, only the values and dossiers of their tree's units.

A batch of another authority only answers 404, as if it did not exist. Reviewers and leaders who
are not bound to one authority (their membership names no unit) see every batch and value, as before
authorities existed. Finding the tree costs one query (units.access.subtree_ids), the bound
authority being kept on the user for the request."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from units.access import authority_root, subtree_ids

from .models import ImportBatch, MetricValue, OverdueDossier


def tree_units(user) -> set[int] | None:
    """The ids of the units whose figures the user may see, or None when they see every unit."""
    root = None if user.is_superuser else authority_root(user)
    return subtree_ids(root) if root is not None else None


FIND_TREE = object()  # visible_batches' default: find the user's tree itself


def visible_batches(user, batches: QuerySet[ImportBatch] | None = None, units=FIND_TREE) -> QuerySet[ImportBatch]:
    """``batches`` (all by default) narrowed as the module says; ``units`` is tree_units(user), given
    when the caller already has it."""
    batches = ImportBatch.objects.all() if batches is None else batches
    units = tree_units(user) if units is FIND_TREE else units
    if units is None:
        return batches
    holds_values = Exists(MetricValue.objects.filter(batch=OuterRef("pk"), unit_id__in=units))
    holds_dossiers = Exists(OverdueDossier.objects.filter(batch=OuterRef("pk"), unit_id__in=units))
    uploaded = Q(created_by=user) | Q(created_by__membership__unit_id__in=units)
    return batches.filter(Q(authority_id__in=units) | holds_values | holds_dossiers | uploaded)


def only_units(rows: QuerySet, units: set[int] | None, field: str = "unit_id") -> QuerySet:
    """``rows`` (metric values, late dossiers) of the given units only; all when ``units`` is None."""
    return rows if units is None else rows.filter(**{f"{field}__in": units})
