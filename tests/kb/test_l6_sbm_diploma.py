"""The L6 Diploma in School Business Management importer (source 000) against the printed document."""

from __future__ import annotations

import re
from typing import Any

import pytest

from knowledge.build import SOURCES_DIR, build_spec, render_yaml, spec_source
from knowledge.check import validate
from knowledge.importers import ilm_sbm_l6
from knowledge.importers.common import clean
from knowledge.kb import KnowledgeBase

DOC = "000_b959ca0e6af756da.txt"
QID = "l6-sbm-diploma"
EXPECTED_CRITERIA = {"8631-600": 12, "8631-601": 14, "8631-602": 9, "8631-603": 11,
                     "8631-604": 9, "8631-605": 11}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return build_spec(spec_source("l6_sbm_diploma"))


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    return (SOURCES_DIR / DOC).read_text(encoding="utf-8").splitlines()


def unit(spec: dict[str, Any], code: str) -> dict[str, Any]:
    return next(u for u in spec["units"] if u["code"] == code)


def crit(spec: dict[str, Any], code: str, ac: str) -> dict[str, Any]:
    return next(c for c in unit(spec, code)["criteria"] if c["id"] == ac)


def rule_at(spec: dict[str, Any], line: int) -> list[dict[str, Any]]:
    return [r for r in spec["rules"] if r["source"]["line"] == line]


# --------------------------------------------------------------------------- structure


def test_criteria_counts(spec: dict[str, Any]) -> None:
    assert {u["code"]: len(u["criteria"]) for u in spec["units"]} == EXPECTED_CRITERIA
    assert sum(len(u["criteria"]) for u in spec["units"]) == 66


def test_lo_and_ac_ids_consistent(spec: dict[str, Any]) -> None:
    for u in spec["units"]:
        numbers = [lo["number"] for lo in u["learning_outcomes"]]
        assert numbers == list(range(1, len(numbers) + 1)), u["code"]
        ids = [c["id"] for c in u["criteria"]]
        assert len(ids) == len(set(ids)), u["code"]
        for c in u["criteria"]:
            assert re.fullmatch(r"\d+\.\d+", c["id"]), (u["code"], c["id"])
            assert int(c["id"].split(".")[0]) == c["lo"] and c["lo"] in numbers, (u["code"], c["id"])
    assert validate(KnowledgeBase([spec])) == []


def test_unit_facts(spec: dict[str, Any]) -> None:
    facts = {u["code"]: (u["title"], u["level"], u["credits"], u["glh"]) for u in spec["units"]}
    assert facts == {
        "8631-600": ("Enabling Learning", 6, 14, 30),
        "8631-601": ("Measuring School Performance", 6, 14, 30),
        "8631-602": ("Transforming Schools as Organisations", 6, 14, 30),
        "8631-603": ("Understanding the Leadership of Organisations", 6, 8, 28),
        "8631-604": ("Managing Strategic Finances", 6, 14, 30),
        "8631-605": ("Managing Programmes", 6, 14, 30),
    }
    u600 = unit(spec, "8631-600")
    assert u600["source"]["line"] == 140
    assert u600["aim"].startswith("This purpose of this unit is to enable the school business manager to "
                                  "develop knowledge and understanding of the conditions for effective")
    assert unit(spec, "8631-603")["aim"] == (
        "The purpose of this unit is to enable the school manager develop knowledge and understanding of "
        "the nature of leadership as part of their role and to plan for further professional learning.")
    for u in spec["units"]:
        # The standards and reference-number cells are printed empty: nothing is invented.
        assert u["standards"] == [] and u["reference_numbers"] == [], u["code"]
        assert u["qualifications"] == [QID]


def test_exact_wording(spec: dict[str, Any]) -> None:
    assert crit(spec, "8631-600", "2.4")["text"] == (
        "Conduct an evaluative enquiry into the economy, efficiency and effectiveness of a specific aspect "
        "of managing resources for learning in an educational setting.")
    assert crit(spec, "8631-601", "3.3")["text"] == (
        "Evaluate a school’s compliance with legislation relating to data protection and freedom of "
        "information.")
    assert crit(spec, "8631-602", "1.2")["text"] == (
        "Appraise policy directions, research studies and inspection findings related to the "
        "transformation of schools as organisations.")
    assert crit(spec, "8631-603", "1.3")["text"] == (
        "Apply key concepts of educational leadership to a critique of two different leaders, one of whom "
        "must be a school leader.")
    assert crit(spec, "8631-603", "3.2")["text"] == (
        "Use professional self-knowledge and diagnostics/feedback to justify key areas of further "
        "professional development in own leadership skills and qualities")
    assert crit(spec, "8631-604", "2.2")["text"] == (
        "Review key issues in the school’s strategic financial management that emerged through the "
        "critical evaluation.")
    assert crit(spec, "8631-605", "2.8")["text"] == (
        "Assess the business value, benefits profile and operational costs of the proposed case.")
    assert crit(spec, "8631-605", "2.8")["source"]["line"] == 731


def test_every_criterion_cites_its_wording(spec: dict[str, Any], source_lines: list[str]) -> None:
    for u in spec["units"]:
        for c in u["criteria"]:
            assert c["text"].startswith(clean(source_lines[c["source"]["line"] - 1])), (u["code"], c["id"])


def test_requirements_advice_min_counts(spec: dict[str, Any]) -> None:
    c = crit(spec, "8631-604", "3.2")
    assert c["requirements"] == [
        "Assessment Criterion 3.2 ‘Demonstrate the ability to ensure whole-school understanding and "
        "accountability in respect of financial and resource management’ requires learners to provide "
        "evidence of how they have communicated, or intend to communicate, this understanding and "
        "accountability throughout a school, and this evidence will normally be a presentation or "
        "training session to school staff."]
    assert c["advice"] == [] and c["min_counts"] == []
    # The note belongs to 3.2 only.
    assert crit(spec, "8631-604", "3.1")["requirements"] == []
    assert crit(spec, "8631-604", "3.3")["requirements"] == []
    assert all(not c["requirements"] for c in unit(spec, "8631-600")["criteria"])


# --------------------------------------------------------------------------- qualification


def test_qualification_facts(spec: dict[str, Any]) -> None:
    (q,) = spec["qualifications"]
    assert q["id"] == QID and q["title"] == "Level 6 Diploma in School Business Management"
    assert q["awarding_body"] == "ILM" and q["level"] == 6
    assert q["numbers"] == [{"kind": "ofqual", "value": "601/5773/2", "note": None}]
    assert (q["credits"], q["glh"], q["tqt"]) == (78, 178, None)
    assert q["registration_validity_months"] == 36
    assert q["registration_validity_text"] == "To be completed in 3 years"
    assert (q["minimum_age"], q["induction_hours"], q["tutorial_hours"]) == (None, 3, 10)
    assert q["entry_requirements"] is None
    assert q["units"] == list(EXPECTED_CRITERIA)
    assert q["source"]["line"] == 44


def test_rules_of_combination(spec: dict[str, Any]) -> None:
    roc = spec["qualifications"][0]["rules_of_combination"]
    assert roc["text"] == ["Learners are required to complete all units totalling 78 credits to achieve "
                           "this qualification."]
    assert roc["all_units_required"] is True
    assert roc["mandatory"] == list(EXPECTED_CRITERIA) and roc["optional"] == []
    assert roc["min_credits"] == 78 and roc["min_optional_units"] is None
    assert roc["groups"] == [] and roc["min_share_at_level"] is None
    assert sum(u["credits"] for u in spec["units"]) == 78


# --------------------------------------------------------------------------- assessments


def test_assessments_mapped_by_unit_number(spec: dict[str, Any]) -> None:
    got = {u["code"]: [(a["title"], a["kind"], a["weighting"]) for a in u["assessment"]]
           for u in spec["units"]}
    assert got == {
        "8631-600": [("Assessed course work", "report", "100 per cent")],
        "8631-601": [("Structured presentation", "presentation", "50 per cent"),
                     ("Critical evaluation of the use of school performance data", "report", "50 per cent")],
        "8631-602": [("Assessed coursework", "report", "50 per cent"),
                     ("Structured interview", "professional_discussion", "50 per cent")],
        "8631-603": [("Assessed coursework", "portfolio", "100 per cent")],
        "8631-604": [("Critical evaluation of the school’s strategic financial management", "report",
                      "50 per cent"),
                     ("Design of training session", "other", "50 per cent")],
        "8631-605": [("Coursework", "business_case", "100 per cent")],
    }


def test_word_counts_and_timings(spec: dict[str, Any]) -> None:
    def wc(code: str, n: int) -> dict[str, Any]:
        return unit(spec, code)["assessment"][n]["word_count"]

    def mins(code: str, n: int) -> Any:
        return unit(spec, code)["assessment"][n]["timing_minutes"]

    assert wc("8631-600", 0) == {"nominal": 5000, "min": None, "max": None}
    assert wc("8631-601", 1) == {"nominal": 2500, "min": None, "max": None}
    assert wc("8631-602", 0) == {"nominal": 2500, "min": None, "max": None}
    assert wc("8631-603", 0) == {"nominal": 5000, "min": None, "max": None}
    # Printed in the detailed paragraph "(2,500 words + appendices)", not on the summary row.
    assert wc("8631-604", 0) == {"nominal": 2500, "min": None, "max": None}
    assert wc("8631-605", 0) == {"nominal": 5000, "min": None, "max": None}
    assert wc("8631-601", 0) == {"nominal": None, "min": None, "max": None}
    # "15-minute PowerPoint presentation", "20-minute structured interview", "90-minute training session"
    assert mins("8631-601", 0) == {"nominal": 15, "min": None, "max": None}
    assert mins("8631-602", 1) == {"nominal": 20, "min": None, "max": None}
    assert mins("8631-604", 1) == {"nominal": 90, "min": None, "max": None}
    assert mins("8631-600", 0) is None and mins("8631-605", 0) is None


def test_assessment_text_and_notes(spec: dict[str, Any]) -> None:
    a = unit(spec, "8631-600")["assessment"][0]
    assert a["source"]["line"] == 810
    assert a["text"][0] == "Assessed course work 100 per cent (5,000 words plus additional evidence)"
    assert a["text"][-1].startswith("Your reflections on the role of the advanced school business manager")
    assert unit(spec, "8631-600")["assessment_notes"] == [
        "Assessment for the Enabling Learning unit is through a completed school self-evaluation report."]
    # Unit 5's detailed paragraphs follow both summary rows: each goes back to its own component.
    evaluation, training = unit(spec, "8631-604")["assessment"]
    assert any(t.startswith("This should take the form") or "formal report" in t for t in evaluation["text"])
    assert "Plan for a sustainable financial future?" in evaluation["text"]
    assert "Plan for a sustainable financial future?" not in training["text"]
    assert training["text"][-1].startswith("A 500-word reflective commentary")
    assert any(t.startswith("You will design a 90-minute training session") for t in training["text"])


# --------------------------------------------------------------------------- rules


def test_grading_and_referral_rules(spec: dict[str, Any]) -> None:
    assert [(r["topic"], r["text"]) for r in rule_at(spec, 762)] == [
        ("grading", "Participants are required to achieve at least a ‘pass’ grade in each learning "
                    "outcome to gain a pass for the unit as a whole."),
        ("resubmission", "Participants receiving a ‘referral’ for a unit may resubmit their work for "
                         "assessment."),
    ]
    (referral,) = rule_at(spec, 957)
    assert referral["topic"] == "referral"
    assert referral["text"].endswith("If not, the grade for the unit as a whole is a referral.")
    (lo_grades,) = rule_at(spec, 955)
    assert lo_grades["topic"] == "grading"
    assert "(referral, pass, good pass, excellent pass)" in lo_grades["text"]
    bands = [r["text"] for line in range(973, 977) for r in rule_at(spec, line)]
    assert bands == ["Referral 0 – 49%", "Pass 50 – 59%", "Good Pass 60 – 69%", "Excellent Pass 70+%"]
    assert all(r["qualification"] == QID for r in spec["rules"])


def test_level_matrix_rules(spec: dict[str, Any]) -> None:
    cells = [r for r in spec["rules"] if 984 <= r["source"]["line"] <= 1112 and "): " in r["text"]]
    assert len(cells) == 4 * 4 * 4  # four elements × four rows × four grades
    (wrapped,) = rule_at(spec, 1103)
    assert wrapped == {"qualification": QID, "topic": "referral",
                       "text": "Communication skills (Referral): Limited referencing, with some "
                               "inaccuracy/ inappropriate use.",
                       "source": {"document": DOC, "line": 1103}}
    (excellent,) = rule_at(spec, 994)
    assert excellent["topic"] == "grading"
    assert excellent["text"] == ("Understanding and critique of theoretical concepts (Excellent pass): "
                                 "Confident expression of competing and contrasting theoretical models and "
                                 "frameworks.")


def test_other_rules(spec: dict[str, Any]) -> None:
    topics = {(r["source"]["line"], r["topic"]) for r in spec["rules"]}
    assert {(65, "registration"), (56, "induction"), (59, "tutorial_support"), (38, "internal_verification"),
            (32, "assessor_requirements"), (21, "progression"), (759, "structure"),
            (764, "assessment_method"), (962, "marking"), (1133, "marking")} <= topics
    assert rule_at(spec, 59)[0]["text"] == "Tutorial Support: Minimum of 10 hours"
    assert rule_at(spec, 758)[0]["text"] == "Each unit is individually assessed on completion of that unit."
    # Unit 2's form grades only three LOs; its "LO 3" prints the wording of the unit's LO 4.
    assert rule_at(spec, 1388)[0]["text"].startswith("LO 3: Be able to review the role of the school")


# --------------------------------------------------------------------------- traps


def test_trap_ac_numbers_before_texts(spec: dict[str, Any]) -> None:
    # 8631-600 LO 1: "1.1", "1.2", "1.3" with uneven blank lines, then the three texts.
    assert [(c["id"], c["source"]["line"]) for c in unit(spec, "8631-600")["criteria"][:3]] == [
        ("1.1", 164), ("1.2", 166), ("1.3", 168)]
    # 8631-600 LO 2: six texts on consecutive lines, no blank between them.
    assert crit(spec, "8631-600", "2.6")["text"] == (
        "Devise clear and appropriate priorities for the improvement/development of a specific aspect of "
        "the school’s resources for learning.")
    # "3.1  " (trailing spaces) in 8631-601 is still an AC number.
    assert crit(spec, "8631-601", "3.1")["text"] == (
        "Evaluate the quality of the performance data in a school.")


def test_trap_split_items_pairs_by_order() -> None:
    block = [(0, "First item."), (1, ""), (2, ""), (3, "Second item, wrapped"), (4, "onto a line."),
             (5, "Third item.")]
    assert ilm_sbm_l6._split_items(block, 3) == [
        (0, "First item."), (3, "Second item, wrapped onto a line."), (5, "Third item.")]
    with pytest.raises(ilm_sbm_l6.LayoutError):
        ilm_sbm_l6._split_items(block, 5)


def test_trap_lo_lines_are_not_ac_ids(spec: dict[str, Any]) -> None:
    # "1.Understand …" (no space), "2. Be able …", "3 Be able …" (no dot) are all LO lines.
    los = unit(spec, "8631-600")["learning_outcomes"]
    assert los[0]["text"] == ("Understand the key concepts of enabling learning and the management of "
                              "learning resources")
    assert los[2]["text"] == ("Be able to review own performance in supporting and enabling efficient and "
                              "effective learning")
    assert unit(spec, "8631-603")["learning_outcomes"][0]["text"] == (
        "Understand leadership in an educational setting")
    for u in spec["units"]:
        assert all(not c["text"][0].isdigit() for c in u["criteria"]), u["code"]


def test_trap_continuation_lines(spec: dict[str, Any]) -> None:
    c = crit(spec, "8631-602", "2.3")
    assert c["text"] == ("Apply a range of appropriate techniques of practitioner enquiry, With due regard "
                         "to ethical issues and the professional climate in which it is to be conducted.")
    assert c["source"]["line"] == 409
    assert crit(spec, "8631-602", "2.4")["text"].startswith("Synthesise the findings")
    assert unit(spec, "8631-604")["learning_outcomes"][1]["text"] == (
        "Be able to use professional judgement to evaluate a school’s policies and practices for strategic "
        "financial management")


def test_trap_bookmark_debris(spec: dict[str, Any]) -> None:
    assert "bookmark" not in render_yaml(spec)
    (line34,) = rule_at(spec, 34)
    assert line34["text"] == (
        "Experience of managing a budget in an educational setting at RQF Level 5 or above.")


def test_trap_full_codes_only(spec: dict[str, Any]) -> None:
    codes = [u["code"] for u in spec["units"]]
    assert codes == [f"8631-60{n}" for n in range(6)]
    assert not any(code.startswith("8316") for code in codes)
    q = spec["qualifications"][0]
    assert all(re.fullmatch(r"8631-60\d", c) for c in q["units"] + q["rules_of_combination"]["mandatory"])


def test_generated_file_is_current(spec: dict[str, Any]) -> None:
    from knowledge.build import SPECS_DIR

    assert (SPECS_DIR / "l6_sbm_diploma.yaml").read_text(encoding="utf-8") == render_yaml(spec)
