"""restore refuses what would mix or damage data, says why in Vietnamese, and leaves the database and
MEDIA_ROOT exactly as they were: data already there (unless --force), a file changed after the backup,
a member outside the manifest or outside MEDIA_ROOT, a load that fails half-way."""

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command

from common.backup import DATABASE, MANIFEST
from units.choices import Role, UnitKind
from units.models import Membership, Unit

from .snapshot import table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence" / "2024" / "06").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "2024" / "06" / "1-bien-ban.pdf").write_bytes(b"%PDF-1.4 bi\xc3\xaan b\xe1\xba\xa3n")
    return settings.MEDIA_ROOT


@pytest.fixture
def archive(media, make_user, tmp_path):
    """A backup of a tiny office (one unit, its head, one evidence file), then the office emptied."""
    unit = Unit.objects.create(name="UBND xã Vĩnh Khê", kind=UnitKind.COMMUNE)
    make_user("truong-xa", Role.UNIT_HEAD, unit)
    path = tmp_path / "sao-luu.tar.gz"
    call_command("backup", "-o", str(path), stdout=io.StringIO())
    return path


def empty_everything(media):
    Membership.objects.all().delete()
    Unit.objects.all().delete()
    from django.contrib.auth import get_user_model
    get_user_model().objects.all().delete()
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def rewrite(source, target, change, *, rehash: bool):
    """Copy an archive, changing members' bytes with ``change(name, data)``; with ``rehash`` the
    manifest is updated to match (a consistent archive with bad content), without it left as it was."""
    import hashlib

    with tarfile.open(source) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(members.pop(MANIFEST))
    members = {name: change(name, data) for name, data in members.items()}
    if rehash:
        for entry in manifest["files"]:
            data = members[entry["name"]]
            entry.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    members[MANIFEST] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def files_under(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_it_refuses_a_database_that_has_data_and_says_so(archive, media):
    before = table_rows()
    files = files_under(media)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))

    message = str(refused.value)
    assert "Cơ sở dữ liệu đang có dữ liệu" in message and "units.Unit (1)" in message and "--force" in message
    assert table_rows() == before and files_under(media) == files


def test_it_refuses_a_media_folder_that_has_files(archive, media):
    Membership.objects.all().delete()
    Unit.objects.all().delete()
    from django.contrib.auth import get_user_model
    get_user_model().objects.all().delete()

    with pytest.raises(CommandError, match="MEDIA_ROOT .* đang có tệp, ví dụ evidence/2024/06/1-bien-ban.pdf"):
        call_command("restore", str(archive))

    assert not Unit.objects.exists()


def test_it_restores_into_the_emptied_office(archive, media):
    unit_rows = list(Unit.objects.values_list())
    files = files_under(media)
    empty_everything(media)

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert "Đã khôi phục" in out.getvalue()
    assert list(Unit.objects.values_list()) == unit_rows
    assert Membership.objects.get().user.username == "truong-xa"
    assert files_under(media) == files


def test_it_replaces_everything_with_force_and_keeps_the_old_files_aside(archive, media):
    unit_rows = list(Unit.objects.values_list())
    files = files_under(media)
    Unit.objects.filter(pk=unit_rows[0][0]).update(name="Tên đã sửa sau sao lưu")
    Unit.objects.create(name="UBND xã thêm sau sao lưu", kind=UnitKind.COMMUNE)
    (media / "letters").mkdir()
    (media / "letters" / "cong-van.pdf").write_bytes(b"%PDF-1.4 sau sao luu")

    out = io.StringIO()
    call_command("restore", str(archive), "--force", stdout=out)

    assert list(Unit.objects.values_list()) == unit_rows
    restored = {name: data for name, data in files_under(media).items() if not name.startswith(".")}
    assert restored == files
    (aside,) = media.glob(".truoc-khoi-phuc-*")
    assert (aside / "letters" / "cong-van.pdf").read_bytes() == b"%PDF-1.4 sau sao luu"
    assert str(aside) in out.getvalue()


def test_it_refuses_a_file_changed_after_the_backup_and_writes_nothing(archive, media, tmp_path):
    empty_everything(media)
    before = table_rows()

    def flip(name, data):
        return data.replace(b"PDF", b"PDX") if name.startswith("media/") else data

    tampered = rewrite(archive, tmp_path / "sua.tar.gz", flip, rehash=False)

    with pytest.raises(CommandError, match="evidence/2024/06/1-bien-ban.pdf .*bị hỏng hoặc đã bị sửa"):
        call_command("restore", str(tampered))

    assert table_rows() == before and files_under(media) == {}


def test_it_rolls_everything_back_when_the_load_fails_half_way(archive, media, tmp_path):
    empty_everything(media)
    before = table_rows()

    def dangling(name, data):
        if name != DATABASE:
            return data
        rows = json.loads(data)
        # Last in the file, after the unit and the user were already written: another name of a unit
        # that does not exist.
        rows.append({"model": "units.unitalias", "pk": 99999,
                     "fields": {"unit": 424242, "name": "Xã không có", "folded": "xa khong co"}})
        return json.dumps(rows).encode()

    broken = rewrite(archive, tmp_path / "hong.tar.gz", dangling, rehash=True)

    with pytest.raises(CommandError, match="(?s)Nạp dữ liệu không thành công.*vẫn như trước"):
        call_command("restore", str(broken))

    assert table_rows() == before and files_under(media) == {}


@pytest.mark.parametrize("name", ["../ngoai.txt", "/etc/cron.d/x", "media/../../ngoai.txt"])
def test_it_refuses_a_member_outside_the_media_folder(archive, media, tmp_path, name):
    empty_everything(media)
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(members[MANIFEST])
    manifest["files"].append({"name": name, "size": 2, "sha256": "0" * 64})
    members[MANIFEST] = json.dumps(manifest).encode()
    members[name] = b"hi"
    evil = tmp_path / "la.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

    with pytest.raises(CommandError, match="mục lạ"):
        call_command("restore", str(evil))

    assert not (tmp_path / "ngoai.txt").exists() and not Unit.objects.exists()


def test_it_refuses_a_file_that_is_not_a_backup(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    other = tmp_path / "khac.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        info = tarfile.TarInfo("readme.txt")
        tar.addfile(info, io.BytesIO(b""))

    with pytest.raises(CommandError, match="không phải bản sao lưu của hệ thống này"):
        call_command("restore", str(other))
    assert [p.name for p in settings.MEDIA_ROOT.iterdir()] == []  # the working folder is gone too
