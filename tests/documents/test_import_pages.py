"""The import pages: a reviewer uploads, sees the dry run, maps an unknown name (kept as an alias),
confirms, reads the history and re-imports; leaders read; unit heads are refused."""

import copy

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import ImportBatch, MetricValue, OverdueDossier
from units.choices import Role
from units.models import Unit, UnitAlias

from .conftest import table_dump
from .dossier_files import make_dossiers, write_xlsx
from .seeds import builder, expected_values, table, write_layout


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff(make_user, registry):
    return make_user("nhan-vien", Role.REVIEWER, Unit.objects.get(name="Phòng Nội vụ"))


def upload(client, path, period="2023-H1", **extra):
    with open(path, "rb") as handle:
        data = {"file": SimpleUploadedFile(path.name, handle.read()), "period": period, **extra}
    return client.post(reverse("documents:upload"), data)


def test_it_previews_without_writing_then_imports_on_confirm(client, staff, period, tmp_path, media):
    client.force_login(staff)
    path = write_layout("000-1", "as_exported", tmp_path)
    before = table_dump()

    response = upload(client, path)

    assert response.status_code == 302 and "/xem-truoc/" in response.url
    (kept,) = (media / "imports").glob("*/*.xlsx")  # kept under its sha256 for the confirm
    preview = client.get(response.url)
    assert preview.status_code == 200 and table_dump() == before
    text = preview.content.decode()
    expected = expected_values("000-1")
    assert f'<dd id="rows">{len(expected)}</dd>' in text and f'<dd id="matched-count">{len(expected)}</dd>' in text
    # Seed 000's two total rows whose printed rates its own numbers do not give.
    warnings = text.split('<ul class="import-messages warnings">')[1].split("</ul>")[0]
    assert "13,2" in warnings and "88,1" in warnings

    confirmed = client.post(response.url.split("?")[0], {"period": "2023-H1", "action": "confirm"})

    batch = ImportBatch.objects.get()
    assert confirmed.status_code == 302 and confirmed.url == reverse("documents:batch", args=[batch.pk])
    assert (batch.created_by, batch.sha256, batch.row_count) == (staff, kept.parent.name, len(expected))
    detail = client.get(confirmed.url).content.decode()
    assert batch.file_name in detail and "Số hồ sơ trực tuyến một phần" in detail and "13,2" in detail


def test_it_maps_an_unknown_name_and_keeps_it_as_an_alias(client, staff, period, tmp_path):
    client.force_login(staff)
    t = table("000-2")
    rows = copy.deepcopy(t.rows)
    original = rows[1][1]
    rows[1][1] = "Văn phòng UB huyện (cũ)"
    path = builder.write_xlsx(tmp_path / "den.xlsx", t.title, rows, 1)
    url = upload(client, path).url

    preview = client.get(url).content.decode()
    assert "Văn phòng UB huyện (cũ)" in preview and '<dd id="unmatched-count">1</dd>' in preview
    target = Unit.objects.get(name=original)  # the row's real unit, as the letter names it
    response = client.post(url.split("?")[0], {"period": "2023-H1", "action": "confirm", "name": ["Văn phòng UB huyện (cũ)"],
                                               "unit_0": target.pk, "alias_0": "on"})

    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.get()
    assert batch.mapping == {"Văn phòng UB huyện (cũ)": target.name}
    assert MetricValue.objects.filter(batch=batch, unit=target, key="incoming_total").exists()
    alias = UnitAlias.objects.get(name="Văn phòng UB huyện (cũ)")
    assert alias.unit == target
    entry = LogEntry.objects.get(object_id=str(alias.pk))
    assert entry.user == staff and "Văn phòng UB huyện (cũ)" in entry.change_message


def test_an_unmapped_name_refuses_the_confirm(client, staff, period, tmp_path):
    client.force_login(staff)
    t = table("000-2")
    rows = copy.deepcopy(t.rows)
    rows[1][1] = "Đơn vị không có"
    url = upload(client, builder.write_xlsx(tmp_path / "den.xlsx", t.title, rows, 1)).url
    before = table_dump()

    response = client.post(url.split("?")[0], {"period": "2023-H1", "action": "confirm", "name": ["Đơn vị không có"]})

    assert response.status_code == 200 and "bị từ chối" in response.content.decode()
    assert table_dump() == before


def test_it_refuses_a_file_too_large_or_not_what_its_name_says(client, staff, period, tmp_path, settings, media):
    client.force_login(staff)
    settings.UPLOAD_MAX_BYTES = 1000
    big = upload(client, write_layout("000-2", "as_exported", tmp_path))
    assert big.status_code == 200 and "vượt giới hạn" in big.content.decode()

    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    fake = tmp_path / "bang.xlsx"
    fake.write_text("không phải bảng tính", encoding="utf-8")
    response = upload(client, fake)
    assert response.status_code == 200 and "không phải bảng tính .xlsx" in response.content.decode()
    assert not (media / "imports").exists()


def test_it_reimports_a_batch_from_the_kept_file(client, staff, period, tmp_path):
    client.force_login(staff)
    url = upload(client, write_layout("000-2", "as_exported", tmp_path)).url
    client.post(url.split("?")[0], {"period": "2023-H1", "action": "confirm"})
    batch = ImportBatch.objects.get()

    response = client.post(reverse("documents:reimport", args=[batch.pk]))

    assert response.status_code == 302 and response.url.startswith(reverse("documents:preview", args=[batch.sha256]))
    again = client.post(response.url.split("?")[0], {"period": "2023-H1", "source": "incoming", "action": "confirm"})
    assert again.status_code == 302 and ImportBatch.objects.count() == 1  # same file: nothing changes


def test_it_lists_late_dossiers_and_records_an_apology_letter(client, staff, period, tmp_path):
    client.force_login(staff)
    url = upload(client, write_xlsx(tmp_path / "ho-so.xlsx", make_dossiers("Phòng Tư pháp", 12, late=2))).url
    assert '<dd id="overdue-count">2</dd>' in client.get(url).content.decode()
    client.post(url.split("?")[0], {"period": "2023-H1", "action": "confirm"})
    dossier = OverdueDossier.objects.order_by("code").first()

    response = client.post(reverse("documents:apology", args=[dossier.pk]), {"sent": "1"})

    dossier.refresh_from_db()
    assert response.status_code == 302 and dossier.apology_sent and dossier.apology_sent_by == staff
    page = client.get(reverse("documents:batch", args=[dossier.batch_id])).content.decode()
    assert "Đã gửi" in page and dossier.code in page


def test_leaders_read_the_history_and_unit_heads_are_refused(client, make_user, registry, period, tmp_path):
    from documents.importing.run import import_file

    batch = import_file(write_layout("000-2", "as_exported", tmp_path), period=period).stored.batch
    viewer = make_user("lanh-dao", Role.VIEWER)
    head = make_user("truong", Role.UNIT_HEAD, Unit.objects.get(name="UBND xã Vĩnh Khê"))

    client.force_login(viewer)
    assert client.get(reverse("documents:batches")).status_code == 200
    assert client.get(reverse("documents:batch", args=[batch.pk])).status_code == 200
    assert client.get(reverse("documents:upload")).status_code == 403
    assert client.post(reverse("documents:reimport", args=[batch.pk])).status_code == 403

    client.force_login(head)
    for url in (reverse("documents:batches"), reverse("documents:batch", args=[batch.pk]), reverse("documents:upload")):
        assert client.get(url).status_code == 403, url
