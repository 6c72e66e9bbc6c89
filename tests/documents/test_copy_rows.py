"""store_batch writes plain rows (COPY on PostgreSQL, one executemany elsewhere) instead of model
instances: every column is written, and what is read back is what a model instance would have stored."""

import datetime
from decimal import Decimal

from common.bulk import _csv_line, insert_rows
from documents.actions import METRIC_VALUE_FIELDS, OVERDUE_FIELDS
from documents.models import ImportBatch, MetricValue, OverdueDossier
from units.models import Unit


def _columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


def test_it_writes_every_column_of_the_imported_rows():
    # A field added to the models without being added here would be left to the database: no
    # Django default, no check. The lists must name every column.
    assert sorted(METRIC_VALUE_FIELDS) == sorted(_columns(MetricValue))
    assert sorted(OVERDUE_FIELDS) == sorted(_columns(OverdueDossier))


def test_it_reads_back_what_a_model_instance_would_have_stored(registry, period):
    unit = Unit.objects.get(name="UBND huyện Vĩnh Linh")
    batch = ImportBatch.objects.create(file_name="x.xlsx", sha256="0" * 64, source="procedures", period=period)
    insert_rows(OverdueDossier, OVERDUE_FIELDS, [
        (batch.pk, unit.pk, period.pk, 'H"01', "", datetime.date(2023, 1, 2), datetime.date(2023, 1, 5), None, 3,
         "online", "", "Đang xử lý", "Danh sách", 7, False, None, None),
    ])
    insert_rows(MetricValue, METRIC_VALUE_FIELDS, [(batch.pk, unit.pk, period.pk, "tthc_received", Decimal("1152"),
                                                   "Sheet1", 6, "C")])

    dossier = OverdueDossier.objects.get()
    assert (dossier.code, dossier.procedure, dossier.submitted_on, dossier.returned_on, dossier.days_late,
            dossier.apology_sent, dossier.apology_sent_at) == (
        'H"01', "", datetime.date(2023, 1, 2), None, 3, False, None)
    value = MetricValue.objects.get()
    assert (value.key, value.value, value.sheet, value.row, value.column) == ("tthc_received", 1152, "Sheet1", 6, "C")


def test_it_keeps_empty_text_apart_from_null_in_the_copy_data():
    # COPY's CSV: an unquoted empty field is NULL; text is always quoted, so "" stays an empty string.
    line = _csv_line([None, "", 'a "b", c', Decimal("1E+3"), Decimal("0.000001"), True, False, 7,
                      datetime.date(2023, 6, 14),
                      datetime.datetime(2023, 6, 14, 8, 30, tzinfo=datetime.timezone.utc)])

    assert line == (',"","a ""b"", c",1000,0.000001,t,f,7,2023-06-14,2023-06-14T08:30:00+00:00\n')
