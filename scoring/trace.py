"""Where a computed score comes from: the metric values it used, down to the spreadsheet cell.

``store_traces`` is called by scoring.actions.store_computed_for with the results it just computed:
one ScoreTrace per computed score, rewritten only when its inputs or its proposal changed (a digest
of the MetricValue ids and values), so that a recompute that changes nothing writes nothing.
``score_trace`` reads one score's trace for the page: formula → numerator and denominator keys →
per-unit values → the batch (file, SHA-256, who imported it and when) → sheet, row and column."""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from common.bulk import insert_rows
from documents.metrics import METRICS

from .computing.loading import formula_keys
from .models import Score, ScoreTrace


NO_SOURCE = (None, None, "", None, "")


def _keys(formula: dict, name: str) -> list[str]:
    value = (formula or {}).get(name) or []
    return [value] if isinstance(value, str) else [k for k in value if isinstance(k, str)]


def _used(line, keys: set) -> list[tuple[str, str, Decimal, tuple]]:
    """(unit, key, value, source) of every metric value the line's proposal read, in a stable order."""
    found = []
    for unit in sorted(line.metrics):
        values, sources = line.metrics[unit], line.sources.get(unit, {})
        for key in sorted(keys & values.keys()):
            found.append((unit, key, values[key], sources.get(key, NO_SOURCE)))
    return found


def _digest_text(used) -> str:
    # Ids and values are enough: a MetricValue's cell never changes (a re-import makes new rows).
    return ";".join(f"{source[0]}:{value}" for _unit, _key, value, source in used)


def _digest(used_text: str, proposal) -> str:
    return hashlib.blake2b(f"{used_text}={proposal}".encode(), digest_size=16).hexdigest()


def _inputs(used) -> list[dict]:
    return [
        {"unit": unit, "key": key, "value": f"{value:f}", "id": source[0], "batch": source[1],
         "sheet": source[2], "row": source[3], "column": source[4]}
        for unit, key, value, source in used
    ]


def store_traces(results) -> int:
    """Write the trace of every computed line of ``results`` whose inputs or proposal changed.

    Three queries plus the writes, whatever the number of scores. Returns the traces written."""
    # Plain rows, not model instances: a province's first recompute writes tens of thousands of
    # traces, and building and compiling a ScoreTrace for each was most of the time spent. The
    # inputs are serialised as JSONField itself does (json.dumps with the field's encoder).
    encoder = ScoreTrace._meta.get_field("inputs").encoder
    wanted, keys_of = {}, {}
    for result in results:
        # Lines of one assessment that read the same keys from the same value rows share their inputs
        # (a set's criteria often read the same figures): listed and serialised once. The value and
        # source dicts are the context's own, alive for this whole call, so their ids name them.
        shared = {}
        for line in result.lines:
            if line.computed is None:
                continue
            keys = keys_of.get(line.criterion.id)
            if keys is None:
                keys = keys_of[line.criterion.id] = frozenset(formula_keys(line.spec.formula))
            same = (keys, tuple((unit, id(values), id(line.sources.get(unit))) for unit, values in line.metrics.items()))
            found = shared.get(same)
            if found is None:
                used = _used(line, keys)
                found = shared[same] = (_digest_text(used), json.dumps(_inputs(used), cls=encoder))
            text, inputs = found
            wanted[line.score.id] = (inputs, _digest(text, line.proposal))
    if not wanted:
        return 0
    assessment_ids = {result.assessment.pk for result in results}
    existing = dict(
        ScoreTrace.objects.filter(score__assessment_id__in=assessment_ids).values_list("score_id", "digest")
    )
    stale = [score_id for score_id, (_inputs_text, digest) in wanted.items()
             if score_id in existing and existing[score_id] != digest]
    for start in range(0, len(stale), 900):
        ScoreTrace.objects.filter(pk__in=stale[start:start + 900]).delete()
    rows = [
        (score_id, inputs, digest)
        for score_id, (inputs, digest) in wanted.items()
        if existing.get(score_id) != digest
    ]
    return insert_rows(ScoreTrace, ["score_id", "inputs", "digest"], rows)


# -- reading a trace for the page ------------------------------------------------------------------


def column_letters(column: str | int | None) -> str:
    """"C" stays "C"; a 1-based column number becomes its letters (3 → "C", 28 → "AB")."""
    if column in (None, ""):
        return ""
    text = str(column).strip()
    if not text.isdigit():
        return text.upper()
    number, letters = int(text), ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class TraceInput:
    """One metric value a computed score used, with the file and cell it was read from."""

    unit: str
    key: str
    label: str
    side: str  # "tử số" | "mẫu số"
    value: Decimal
    current: Decimal | None  # the value stored today (None: replaced by a later import)
    batch: object | None  # documents.models.ImportBatch
    sheet: str
    row: int | None
    column: str

    @property
    def cell(self) -> str:
        return f"{column_letters(self.column)}{self.row}" if self.row else column_letters(self.column)

    @property
    def changed_since(self) -> bool:
        return self.current is None or self.current != self.value


@dataclass
class Trace:
    score: Score
    formula: dict
    numerator: list[str]
    denominator: list[str]
    inputs: list[TraceInput]
    sums: dict  # key → Σ over the units

    @property
    def numerator_total(self) -> Decimal:
        return sum((self.sums.get(k, Decimal(0)) for k in self.numerator), Decimal(0))

    @property
    def denominator_total(self) -> Decimal:
        return sum((self.sums.get(k, Decimal(0)) for k in self.denominator), Decimal(0))


def score_trace(score: Score) -> Trace | None:
    """The stored trace of ``score`` with its batches and today's values; None if never computed."""
    from documents.models import ImportBatch, MetricValue

    stored = ScoreTrace.objects.filter(score=score).first()
    if stored is None:
        return None
    formula = score.criterion.formula or {}
    numerator, denominator = _keys(formula, "numerator"), _keys(formula, "denominator")
    batches = ImportBatch.objects.select_related("created_by").in_bulk({i["batch"] for i in stored.inputs if i["batch"]})
    today = dict(MetricValue.objects.filter(pk__in=[i["id"] for i in stored.inputs if i["id"]]).values_list("id", "value"))
    inputs, sums = [], {}
    for item in stored.inputs:
        value = Decimal(item["value"])
        metric = METRICS.get(item["key"])
        inputs.append(TraceInput(
            unit=item["unit"], key=item["key"], label=metric.label if metric else item["key"],
            side="tử số" if item["key"] in numerator else "mẫu số", value=value, current=today.get(item["id"]),
            batch=batches.get(item["batch"]), sheet=item["sheet"] or "", row=item["row"], column=item["column"] or "",
        ))
        sums[item["key"]] = sums.get(item["key"], Decimal(0)) + value
    return Trace(score, formula, numerator, denominator, inputs, sums)
