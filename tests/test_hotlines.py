"""The hotline directory: verified numbers only, every entry sourced, the right help per region.

The allow-lists below are copied by hand from the project's verified hotline table (as of 2026-11);
a number or link added to bot/data/hotlines.json without being verified there fails these tests.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from bot.hotlines import DEFAULT_PATH, DirectoryError, load_directory, validate
from bot.records import Hotline

VERIFIED_NUMBERS = {
    # Emergency
    "911",
    "999",
    "112",
    "000",
    # Trafficking and exploitation services
    "1-888-373-7888",
    "711",
    "233733",
    "1-800-843-5678",
    "08000 121 700",
    "1-833-900-1010",
    "131 237",
    "15999",
    "019-261 5999",
    "116 000",
    "1-800-422-4453",
    "0808 1000 900",
    "+44 1372 847 161",
    "1-888-773-8368",
    "1-888-PREVENT",
    "1800 01 1800",
    # Suicide and emotional crisis lines
    "988",
    "116 123",
    "13 11 14",
}
VERIFIED_LINKS = {
    "https://humantraffickinghotline.org",
    "https://report.cybertip.org",
    "https://takeitdown.ncmec.org",
    "https://stopncii.org",
    "https://modernslaveryhelpline.org",
    "https://canadianhumantraffickinghotline.ca",
    "https://www.afp.gov.au",
    "https://missingchildreneurope.eu",
    "https://www.childhelphotline.org",
    "https://inhope.org",
    "https://www.stopitnow.org.uk",
    "https://www.stopitnow.org",
    "https://www.stopitnow.org.au",
}
NOT_VERIFIED = ["03-8000 8000", "1-800-422-2253", "Befrienders"]
EMERGENCY = {"US": "911", "CA": "911", "UK": "999", "EU": "112", "MY": "999", "AU": "000"}

_NUMBER = re.compile(r"\d[\d -]*\d|\d")


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def directory():
    return load_directory()


def test_directory_file_validates(data: dict) -> None:
    assert validate(data) == []


def test_every_entry_has_a_source_and_a_verified_month(data: dict) -> None:
    for entry in data["hotlines"]:
        assert entry["source"].strip(), entry["name"]
        assert re.fullmatch(r"\d{4}-\d{2}", entry["verified"]), entry["name"]


def test_phone_and_text_numbers_all_come_from_the_verified_table(data: dict) -> None:
    allowed = {digits(n) for n in VERIFIED_NUMBERS}
    for entry in data["hotlines"]:
        for field in ("phone", "text"):
            for number in _NUMBER.findall(entry.get(field, "")):
                assert digits(number) in allowed, (entry["name"], field, number)


def test_links_all_come_from_the_verified_table(data: dict) -> None:
    for entry in data["hotlines"]:
        if entry.get("url"):
            assert entry["url"] in VERIFIED_LINKS, entry["name"]


def test_unverified_numbers_are_not_shipped() -> None:
    raw = DEFAULT_PATH.read_text(encoding="utf-8")
    for item in NOT_VERIFIED:
        assert item not in raw


def test_required_regions_are_present(directory) -> None:
    assert {"US", "UK", "CA", "AU", "MY", "EU", "international"} <= set(directory.regions())
    assert directory.regions()[-1] == "international"


@pytest.mark.parametrize(("region", "number"), sorted(EMERGENCY.items()))
def test_region_list_starts_with_its_emergency_number(directory, region: str, number: str) -> None:
    first = directory.for_region(region)[0]
    assert (first.kind, first.phone) == ("emergency", number)


def test_international_starts_with_local_emergency_advice_without_a_number(directory) -> None:
    first = directory.for_region("international")[0]
    assert first.kind == "emergency" and first.phone == ""
    assert "local emergency number" in first.purpose


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("US", "US"),
        ("us", "US"),
        ("United States", "US"),
        ("USA", "US"),
        ("Malaysia", "MY"),
        ("my", "MY"),
        ("united kingdom", "UK"),
        ("England", "UK"),
        ("Canada", "CA"),
        ("AUSTRALIA", "AU"),
        ("Germany", "EU"),
        ("european union", "EU"),
        ("Ireland", "IE"),
        ("International", "international"),
    ],
)
def test_regions_accept_codes_and_common_names_in_any_case(directory, name: str, code: str) -> None:
    assert directory.resolve(name) == code


@pytest.mark.parametrize("region", [None, "", "Atlantis", "Brazil", "xx"])
def test_unknown_or_missing_region_falls_back_to_international(directory, region) -> None:
    assert directory.for_region(region) == directory.for_region("international")


def test_region_services_come_before_worldwide_ones(directory) -> None:
    names = [h.name for h in directory.for_region("UK")]
    assert names.index("Modern Slavery & Exploitation Helpline (Unseen)") < names.index(
        "Take It Down (NCMEC)"
    )
    assert "StopNCII.org" in names and "INHOPE" in names


def test_other_regions_services_are_not_listed(directory) -> None:
    names = {h.name for h in directory.for_region("AU")}
    assert "Lifeline" in names and "Australian Federal Police" in names
    assert not names & {
        "Samaritans",
        "Talian Kasih",
        "National Human Trafficking Hotline (Polaris)",
    }


def test_local_services_are_the_regions_own(directory) -> None:
    assert [h.name for h in directory.local("MY")] == ["Talian Kasih"]
    assert {h.name for h in directory.local("international")} == {
        "NCMEC CyberTipline",
        "Take It Down (NCMEC)",
        "StopNCII.org",
        "INHOPE",
    }


def test_kinds_filter_keeps_emergency_first_and_orders_by_kind(directory) -> None:
    found = directory.for_region("US", ["suicide", "trafficking"])
    assert [h.kind for h in found] == ["emergency", "suicide", "trafficking"]


def test_116_000_serves_the_eu_the_uk_and_ireland(directory) -> None:
    for region in ("EU", "UK", "IE"):
        assert "116 000" in {h.phone for h in directory.for_region(region)}
    assert "116 000" not in {h.phone for h in directory.for_region("US")}


def test_childhelp_serves_the_us_and_canada(directory) -> None:
    for region in ("US", "CA"):
        assert "1-800-422-4453" in {h.phone for h in directory.for_region(region)}


def test_cybertipline_is_listed_for_any_region(directory) -> None:
    for region in ("international", "MY", "UK", "US"):
        assert "NCMEC CyberTipline" in {h.name for h in directory.for_region(region)}


def test_notes_from_the_table_are_kept_in_purpose(directory) -> None:
    purposes = {h.name: h.purpose for h in directory.all()}
    assert "not law enforcement" in purposes["National Human Trafficking Hotline (Polaris)"]
    assert "not police" in purposes["Canadian Human Trafficking Hotline"]
    assert "not a reporting line" in purposes["Childhelp National Child Abuse Hotline"]


def test_entries_are_hotline_records_with_the_contract_fields(directory) -> None:
    for hotline in directory.all():
        assert isinstance(hotline, Hotline)
        assert {"name", "phone", "text", "url", "region"} <= set(hotline.to_dict())


def test_validate_rejects_an_entry_without_a_source(data: dict) -> None:
    broken = copy.deepcopy(data)
    broken["hotlines"][0]["source"] = ""
    assert any("missing source" in p for p in validate(broken))


def test_validate_rejects_an_entry_without_a_verified_date(data: dict) -> None:
    broken = copy.deepcopy(data)
    del broken["hotlines"][0]["verified"]
    assert any("missing verified" in p for p in validate(broken))


def test_validate_rejects_an_unknown_region(data: dict) -> None:
    broken = copy.deepcopy(data)
    broken["hotlines"][0]["region"] = "Narnia"
    assert any("unknown region" in p for p in validate(broken))


def test_validate_rejects_a_region_without_emergency_help(data: dict) -> None:
    broken = copy.deepcopy(data)
    broken["hotlines"] = [h for h in broken["hotlines"] if h["region"] != "AU"]
    assert any("region AU: no emergency entry" in p for p in validate(broken))


def test_a_faulty_file_fails_loudly_at_load(data: dict, tmp_path: Path) -> None:
    broken = copy.deepcopy(data)
    broken["hotlines"][0]["source"] = ""
    path = tmp_path / "hotlines.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(DirectoryError, match="missing source"):
        load_directory(path)


def test_an_edited_file_is_read_again(data: dict, tmp_path: Path) -> None:
    path = tmp_path / "hotlines.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = len(load_directory(path).all())
    fewer = copy.deepcopy(data)
    fewer["hotlines"] = [h for h in fewer["hotlines"] if h["name"] != "INHOPE"]
    path.write_text(json.dumps(fewer, indent=1), encoding="utf-8")
    assert len(load_directory(path).all()) == before - 1
