"""Upload → dry-run report → confirm → stored batch, with the values of the seed's own table; a
refused file stores nothing; a rendered letter is downloaded through the URLs the API gives."""

from decimal import Decimal

from documents.models import ImportBatch, MetricValue
from reports.models import Letter
from tests.documents.seeds import expected_values

from .conftest import SPREADSHEETS, client_for

OUTGOING_H1 = SPREADSHEETS / "2023-H1_phu-luc-2_van-ban-di.xlsx"


def upload(client, path, **fields):
    with path.open("rb") as handle:
        return client.post("/api/v1/import-batches/", {"file": handle, "period": "2023-H1", **fields}, format="multipart")


def test_it_dry_runs_then_stores_the_seeds_values(world):
    client = client_for(world, "reviewer")
    before = MetricValue.objects.filter(batch__source="outgoing").count()
    report = upload(client, OUTGOING_H1)
    assert report.status_code == 200, report.json()
    body = report.json()
    assert body["dry_run"] is True and body["refused"] is False and body["source"] == "outgoing"
    assert MetricValue.objects.filter(batch__source="outgoing").count() == before == 0

    expected = expected_values("002-2")  # seed 002, appendix 2, parsed from the letter
    for printed, values in expected.items():
        registry_name = body["matched"][printed]
        for key, value in values.items():
            assert Decimal(body["units"][registry_name][key]) == value, (printed, key)

    confirmed = client.post("/api/v1/import-batches/confirm/", {"upload_id": body["upload_id"], "period": "2023-H1"},
                            format="json")
    assert confirmed.status_code == 201, confirmed.json()
    batch = ImportBatch.objects.get(pk=confirmed.json()["batch"]["id"])
    assert (batch.source, batch.period.code, batch.created_by.username) == ("outgoing", "2023-H1", "api_reviewer")
    assert batch.file_name == OUTGOING_H1.name

    listed = client.get("/api/v1/metrics/", {"period": "2023-H1", "key": "outgoing_total", "source": "outgoing"}).json()
    by_unit = {row["unit_name"]: Decimal(row["value"]) for row in listed["results"]}
    for printed, values in expected.items():
        if "outgoing_total" in values:
            assert by_unit[body["matched"][printed]] == values["outgoing_total"]

    again = client.post("/api/v1/import-batches/confirm/", {"upload_id": body["upload_id"], "period": "2023-H1"},
                        format="json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert client.get(f"/api/v1/import-batches/{batch.pk}/").json()["value_count"] == batch.value_count


def test_it_refuses_a_file_that_is_not_a_spreadsheet_and_stores_nothing(world, tmp_path):
    bogus = tmp_path / "bao-cao.xlsx"
    bogus.write_bytes(b"this is not a workbook")
    batches = ImportBatch.objects.count()
    response = upload(client_for(world, "reviewer"), bogus)
    assert response.status_code == 422
    body = response.json()
    assert body["refused"] is True and body["upload_id"] == "" and body["errors"]
    assert ImportBatch.objects.count() == batches


def test_it_says_an_unknown_upload_id_is_gone(world):
    response = client_for(world, "reviewer").post(
        "/api/v1/import-batches/confirm/", {"upload_id": "0" * 64, "period": "2023-H1"}, format="json")
    assert response.status_code == 404


def test_it_renders_a_letter_and_serves_its_files(world):
    client = client_for(world, "reviewer")
    response = client.post("/api/v1/letters/", {"kind": "cchc-remediation", "period": "2023-H1", "format": "pdf"},
                           format="json")
    assert response.status_code == 202
    body = response.json()
    assert body["task_id"]
    letter = client.get(f"/api/v1/letters/{body['letter']['id']}/").json()  # tasks run eagerly in tests
    assert letter["render_state"] == "done", letter["render_error"]
    assert letter["docx_url"] is None
    pdf = client.get(letter["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert Letter.objects.get(pk=letter["id"]).created_by.username == "api_reviewer"


def test_it_says_why_a_letter_cannot_be_drafted(world):
    response = client_for(world, "reviewer").post(
        "/api/v1/letters/", {"kind": "cchc-remediation", "period": "2023-R1"}, format="json")
    assert response.status_code == 400
    assert "Không tìm thấy đợt đánh giá" in response.json()["detail"]
