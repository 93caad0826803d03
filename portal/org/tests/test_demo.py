"""The demo chain reads as real Russian staff lists: patronymics by the rules of Russian."""

from __future__ import annotations

import csv
import io

from portal.org.demo import DEMO_LOGINS, FEMALE, MALE, demo_people_csv

# Written out by hand (not derived from the code under test): every father's name the
# demo draws, with the son's and the daughter's patronymic.
CORRECT_PATRONYMICS = {
    "Александр": ("Александрович", "Александровна"),
    "Сергей": ("Сергеевич", "Сергеевна"),
    "Владимир": ("Владимирович", "Владимировна"),
    "Андрей": ("Андреевич", "Андреевна"),
    "Николай": ("Николаевич", "Николаевна"),
    "Игорь": ("Игоревич", "Игоревна"),
    "Виктор": ("Викторович", "Викторовна"),
    "Олег": ("Олегович", "Олеговна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Юрий": ("Юрьевич", "Юрьевна"),
    "Павел": ("Павлович", "Павловна"),
    "Геннадий": ("Геннадьевич", "Геннадьевна"),
}
SONS = {sons for sons, _ in CORRECT_PATRONYMICS.values()}
DAUGHTERS = {daughters for _, daughters in CORRECT_PATRONYMICS.values()}


def _demo_people() -> list[dict[str, str]]:
    text = demo_people_csv().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_every_demo_patronymic_is_a_correct_russian_form():
    # Given the demo's staff file, when its patronymics are read by the person's sex
    people = _demo_people()
    demo_logins = {login.personnel_number for login in DEMO_LOGINS}
    generated = [p for p in people if p["personnel_number"] not in demo_logins]
    women = [p["middle_name"] for p in generated if p["first_name"] in FEMALE]
    men = [p["middle_name"] for p in generated if p["first_name"] in MALE]
    assert len(women) + len(men) == len(generated) > 700

    # Then every one is a correct form, and the sample uses every father's pair
    assert set(women) == DAUGHTERS, sorted(set(women) ^ DAUGHTERS)
    assert set(men) == SONS, sorted(set(men) ^ SONS)


def test_the_forms_a_suffix_rule_gets_wrong_are_absent():
    # Given the demo's staff file, then none of the patronymics a naive «+овна/+евич» makes
    middles = {p["middle_name"] for p in _demo_people()}
    wrong = {"Павеловна", "Павелович", "Игорьевна", "Игорьевич", "Михаиловна", "Михаилович"}
    wrong |= {"Юриевна", "Юриевич", "Геннадиевна", "Геннадиевич"}
    assert not middles & wrong
