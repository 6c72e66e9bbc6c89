"""render_letter --authority: when two authorities hold figures of the same period, the command
prints the named one's letter (its heading and only its units); an unknown name is refused, listing
the authorities there are."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from units.models import Unit

from .conftest import pdf_text
from .test_period_letters_per_authority import PROVINCE, VINH_LINH, period  # noqa: F401 - period: a fixture

KIND = "document-processing"


def render(tmp_path, *options) -> str:
    out = tmp_path / "cong-van.pdf"
    call_command("render_letter", KIND, "--period", "2024", *options, "-o", str(out), stdout=StringIO())
    return pdf_text(out)


def units_of(authority: dict) -> set[str]:
    root = Unit.objects.get(name=authority["name"])
    return set(Unit.objects.filter(parent=root).values_list("name", flat=True))


@pytest.mark.parametrize("name_given", ["name", "place, without marks"])
def test_it_prints_the_named_authoritys_letter_with_its_own_units(period, tmp_path, poppler, name_given):
    name = PROVINCE["name"] if name_given == "name" else "quang tri"
    text = render(tmp_path, "--authority", name)
    assert " ".join(PROVINCE["agency_lines"]) in text
    assert " ".join(VINH_LINH["agency_lines"]) not in text
    assert not {u for u in units_of(VINH_LINH) if u in text}


def test_without_an_authority_it_keeps_the_registrys_first(period, tmp_path, poppler):
    assert " ".join(VINH_LINH["agency_lines"]) in render(tmp_path)


def test_an_unknown_authority_is_refused_naming_those_there_are(period, tmp_path):
    with pytest.raises(CommandError) as refused:
        render(tmp_path, "--authority", "Gio Linh")
    assert "Gio Linh" in str(refused.value) and VINH_LINH["name"] in str(refused.value)
