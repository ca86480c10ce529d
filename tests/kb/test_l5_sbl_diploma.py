"""KB import of 001: ILM Level 5 Diploma for School Business Leaders (8391-500 … 8391-505).

Built fresh from the source document (importer + curation), so each test fails when the
importer breaks, not only when the committed YAML is stale.
"""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.build import SOURCES_DIR, build_spec, spec_source
from knowledge.importers.common import clean

DOC = "001_cbb9d13f556bc247.txt"
EXPECTED = {"8391-500": 20, "8391-501": 18, "8391-502": 13, "8391-503": 16, "8391-504": 18,
            "8391-505": 14}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return build_spec(spec_source("l5_sbl_diploma"))


@pytest.fixture(scope="module")
def units(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {u["code"]: u for u in spec["units"]}


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    return (SOURCES_DIR / DOC).read_text(encoding="utf-8").splitlines()


def crit(units: dict[str, dict[str, Any]], code: str, ac: str) -> dict[str, Any]:
    return next(c for c in units[code]["criteria"] if c["id"] == ac)


def test_criteria_counts(units: dict[str, dict[str, Any]]) -> None:
    assert {code: len(u["criteria"]) for code, u in units.items()} == EXPECTED
    assert sum(EXPECTED.values()) == 99


def test_learning_outcomes_and_ac_ids_consistent(units: dict[str, dict[str, Any]]) -> None:
    los = {code: [lo["number"] for lo in u["learning_outcomes"]] for code, u in units.items()}
    assert los == {"8391-500": [1, 2, 3, 4, 5, 6], "8391-501": [1, 2, 3, 4, 5],
                   "8391-502": [1, 2, 3, 4], "8391-503": [1, 2, 3, 4],
                   "8391-504": [1, 2, 3, 4, 5, 6], "8391-505": [1, 2, 3, 4]}
    for code, u in units.items():
        ids = [c["id"] for c in u["criteria"]]
        assert len(ids) == len(set(ids)), code
        for c in u["criteria"]:
            assert c["id"].split(".")[0] == str(c["lo"]), (code, c["id"])
            assert c["lo"] in los[code]
        for lo in los[code]:
            assert any(c["lo"] == lo for c in u["criteria"]), (code, lo)


@pytest.mark.parametrize(("code", "ac", "wording", "line"), [
    ("8391-500", "1.2", "Coordinate the development and communication of the school’s vision and values, "
                        "drawing from current research and practice", 346),
    ("8391-500", "6.3", "Evaluate safeguarding arrangements in a school, making recommendations for how "
                        "these may be improved", 520),
    ("8391-501", "3.3", "Produce accurately costed option analysis and business cases to support school "
                        "decisions", 656),
    ("8391-501", "5.2", "Monitor overall budget implementation and performance to ensure the successful "
                        "achievement of school's objectives.", 714),
    ("8391-502", "4.4", "Implement processes to allow the continuous monitoring of suppliers, including "
                        "their contracts, Service Level Agreements (SLAs) and Key Performance Indicators "
                        "(KPIs)", 859),
    ("8391-503", "2.2", "Develop a recruitment plan that’s based on the staffing needs of the school", 968),
    ("8391-504", "6.1", "Develop and promote a strategic ICT plan across the school to support teaching, "
                        "learning and business management processes.", 1271),
    ("8391-505", "3.4", "Use persuasive arguments and convey narrative information in a succinct and "
                        "accurate style in school communications and promotions", 1388),
])
def test_exact_wording_and_source_line(units: dict[str, dict[str, Any]], code: str, ac: str, wording: str,
                                       line: int) -> None:
    c = crit(units, code, ac)
    assert c["text"] == wording
    assert c["source"] == {"document": DOC, "line": line}


# (unit, AC, first and last line of its "The learner must:" block in the source)
GUIDANCE_BLOCKS = [
    ("8391-500", "3.1", 438, 439),
    ("8391-500", "5.3", 508, 509),
    ("8391-502", "1.1", 784, 786),
    ("8391-502", "2.1", 815, 818),
    ("8391-502", "4.5", 889, 898),
    ("8391-503", "3.2", 1030, 1033),
    ("8391-504", "1.4", 1132, 1134),
    ("8391-505", "4.3", 1449, 1450),
]


@pytest.mark.parametrize(("code", "ac", "first", "last"), GUIDANCE_BLOCKS)
def test_every_guidance_line_is_a_requirement(units: dict[str, dict[str, Any]], source_lines: list[str],
                                              code: str, ac: str, first: int, last: int) -> None:
    printed = [clean(x) for x in source_lines[first - 1:last] if clean(x)]
    assert printed[0].startswith(ac)
    printed[0] = printed[0][len(ac):].strip()          # the block opens with the AC number
    assert crit(units, code, ac)["requirements"] == printed


def test_requirements_advice_min_counts(units: dict[str, dict[str, Any]]) -> None:
    c = crit(units, "8391-501", "3.1")
    assert c["min_counts"] == [{"n": 2, "what": "techniques"}]
    assert c["advice"] == [
        "Within their evidence, learners may show their understanding of a range of techniques to facilitate "
        "problem-solving and decision-making in the short, medium and long term.",
        "These may include, for example, options appraisals, force-field analysis, and SWOT analysis."]
    assert {"n": 2, "what": "strategies"} in crit(units, "8391-500", "3.5")["min_counts"]
    assert crit(units, "8391-502", "4.3")["min_counts"] == [{"n": 3, "what": "activities"}]
    assert crit(units, "8391-502", "1.1")["min_counts"] == [{"n": 3, "what": "pieces of legislation"}]
    assert crit(units, "8391-501", "5.2")["min_counts"] == []
    assert crit(units, "8391-501", "1.3")["advice"] == []
    # The restated AC wording ("… how these may be improved.") is not advice.
    assert crit(units, "8391-500", "6.3")["advice"] == [
        "They must then make recommendations of how current policies and practice may be improved."]
    # Curated: a may-sentence wrapped over two printed lines.
    assert crit(units, "8391-504", "1.2")["advice"] == [
        "Learners may draw on the good practice guidance and financial regulations from AC 1.1 as a "
        "benchmark on which to base their evaluation."]


def test_depth_blocks(units: dict[str, dict[str, Any]]) -> None:
    # Continuation lines without an AC number belong to the AC above them.
    assert crit(units, "8391-500", "1.2")["depth"] == [
        "Identify current best practice for vision and values development and communication based on "
        "research, experience and approach used by others.",
        "Coordinate the input from relevant stakeholders, and sharing and review activities to support "
        "development of school’s vision and values.",
        "Coordinate the communication of the school’s vision and values to appropriate stakeholders.",
        "Correct channels and methods of communication for the messages."]
    assert len(crit(units, "8391-500", "2.2")["depth"]) == 10
    assert crit(units, "8391-500", "2.3")["depth"][-1] == "Meeting the requirements of external stakeholders."
    assert crit(units, "8391-501", "5.2")["depth"] == ["No depth for this AC"]
    assert crit(units, "8391-502", "1.2")["depth"][0] == "Identify approved procurement frameworks"


def test_evidence_per_lo_and_unit(units: dict[str, dict[str, Any]]) -> None:
    lo1 = ("Strategic plans, vision and value statements, development plans, communication plans, "
           "stakeholder communication, meeting minutes, change plans and strategies, implementation "
           "documentation which may include reports or presentations.")
    for ac in ("1.1", "1.2", "1.3"):
        assert crit(units, "8391-500", ac)["evidence"] == [lo1]
    assert crit(units, "8391-500", "2.1")["evidence"] != [lo1]
    assert len(units["8391-500"]["evidence"]) == 6 and units["8391-500"]["evidence"][0] == lo1
    # "Suitable evidence may come from" (not "Suggested") and a tab-indented list line.
    assert crit(units, "8391-502", "4.5")["evidence"] == [
        "Written report to governors/trust board. Presentation, professional discussion. Written processes "
        "that could be included in contract management guidance for a school. Draft contract log, "
        "monitoring documentation."]


def test_qualification_facts(spec: dict[str, Any]) -> None:
    (q,) = spec["qualifications"]
    assert q["id"] == "l5-sbl-diploma"
    assert q["title"] == "Level 5 Diploma for School Business Leaders"
    assert q["awarding_body"] == "ILM"
    assert q["numbers"] == []              # no QAN or qualification number is printed
    assert (q["level"], q["credits"], q["glh"], q["glh_printed"], q["tqt"]) == (5, 43, 150, "150 -155", 435)
    assert q["registration_validity_months"] == 36
    assert q["registration_validity_text"] == "Qualification registration is valid for three years."
    assert q["minimum_age"] == 19
    assert (q["induction_hours"], q["tutorial_hours"]) == (3, 10)
    assert q["entry_requirements"].startswith("ILM has not set an entry requirement for this qualification")
    assert q["units"] == list(EXPECTED)
    assert q["source"] == {"document": DOC, "line": 106}


def test_rules_of_combination(spec: dict[str, Any]) -> None:
    roc = spec["qualifications"][0]["rules_of_combination"]
    assert roc["text"][0] == (
        "To achieve the Level 5 Diploma for School Business Leaders learners must complete three mandatory "
        "units and one optional unit, achieving a minimum of 43 credits.")
    assert roc["mandatory"] == ["8391-500", "8391-501", "8391-502"]
    assert roc["optional"] == ["8391-503", "8391-504", "8391-505"]
    assert (roc["min_optional_units"], roc["min_credits"]) == (1, 43)
    assert roc["all_units_required"] is False
    assert roc["groups"] == [] and roc["min_share_at_level"] is None


def test_unit_facts(units: dict[str, dict[str, Any]]) -> None:
    u = units["8391-500"]
    assert u["reference_numbers"] == [{"label": "UAN", "value": "K/615/9088"}]
    assert (u["title"], u["level"], u["credits"], u["glh"]) == (
        "Leading Support Services in a School", 5, 11, 35)
    assert u["standards"] == ["This unit has been written to cover core elements of Tier 3 of the Leading "
                              "Support Services section of the NASBM Professional Standards."]
    assert u["aim"] == ("The purpose of this unit is to provide learners with the knowledge and skills "
                        "required to effectively manage support services within a school.")
    assert u["source"] == {"document": DOC, "line": 319}
    uans = {code: u["reference_numbers"][0]["value"] for code, u in units.items()}
    assert uans == {"8391-500": "K/615/9088", "8391-501": "M/615/9089", "8391-502": "H/615/9090",
                    "8391-503": "K/615/9091", "8391-504": "M/615/9092", "8391-505": "T/615/9093"}
    assert {code: (u["credits"], u["glh"]) for code, u in units.items()} == {
        "8391-500": (11, 35), "8391-501": (11, 40), "8391-502": (11, 40), "8391-503": (10, 35),
        "8391-504": (11, 40), "8391-505": (11, 40)}
    assert all(u["qualifications"] == ["l5-sbl-diploma"] for u in units.values())
    # Title trap: trailing spaces stripped; the unit heading's misprint kept aside, table title used.
    assert units["8391-501"]["title"] == "Managing School Finances"
    assert units["8391-504"]["title"] == "Managing School Infrastructure"
    assert units["8391-504"]["heading_title"] == "Managing School Infastructure"


def test_assessment_is_portfolio_without_invented_limits(units: dict[str, dict[str, Any]]) -> None:
    for code, u in units.items():
        (a,) = u["assessment"]
        assert (a["title"], a["kind"]) == ("Portfolio of evidence", "portfolio"), code
        assert a["word_count"] == {"nominal": None, "min": None, "max": None}
        assert a["timing_minutes"] is None and a["weighting"] is None
        assert "Centre assessed" in a["text"]
        assert a["pass_rule"].startswith("To pass each internally assessed unit the learner must:")
    # Merged cells: 8391-501 inherits the method printed on the 8391-500 row.
    assert units["8391-501"]["assessment"][0]["source"]["line"] == 246


@pytest.mark.parametrize(("topic", "line", "start"), [
    ("age", 182, "ILM cannot accept any registrations for learners under 19"),
    ("registration", 185, "Qualification registration is valid for three years."),
    ("induction", 195, "Each programme must start with a short induction of at least three hours"),
    ("tutorial_support", 213, "Tutorial support: A total of at least ten hours of tutorial support"),
    ("structure", 279, "To achieve a pass for this qualification"),
    ("simulation", 302, "Evidence for skills/competence-based assessment criteria"),
    ("witness_testimony", 310, "Authentic statements/witness testimony"),
    ("rpl", 318, "Recognition of prior learning means"),
    ("simulation", 1485, "Simulation/case studies must be undertaken in a ‘realistic working environment’"),
    ("sufficiency", 1496, "Some sufficiency indicators are provided in the unit assessment guidance"),
    ("referral", 1501, "Although there can be grounds for being unable to review a portfolio of evidence"),
    ("authenticity", 1504, "It is a regulatory requirement that every learner must formally declare"),
    ("language", 1511, "Assessment of all units for this qualification will be available in English."),
    ("recordings", 1530, "A professional discussion is a planned event which is recorded."),
    ("professional_discussion", 1540, "Use of group discussion instead of required individual discussion."),
    ("evidence_matrix", 1609, "Evidence reference or location; Evidence title; Links to other units"),
])
def test_rules(spec: dict[str, Any], topic: str, line: int, start: str) -> None:
    matches = [r for r in spec["rules"] if r["source"]["line"] == line]
    assert len(matches) == 1
    (rule,) = matches
    assert rule["topic"] == topic and rule["text"].startswith(start)
    assert rule["qualification"] == "l5-sbl-diploma" and rule["source"]["document"] == DOC


def test_rules_skip_units_and_bullets(spec: dict[str, Any]) -> None:
    lines = [r["source"]["line"] for r in spec["rules"]]
    assert not any(319 <= n < 1458 for n in lines)      # unit blocks are units, not rules
    assert not any(r["text"].startswith("·") for r in spec["rules"])
    assert len(spec["rules"]) > 150


def test_traps(units: dict[str, dict[str, Any]]) -> None:
    # Full codes only: short numbers 500 … 505 never stand alone.
    assert all(code.startswith("8391-") for code in units)
    # "2<tab>Understand …" under "The learner will:" is an LO, not a criterion.
    lo2 = units["8391-500"]["learning_outcomes"][1]
    assert lo2 == {"number": 2,
                   "text": "Understand legislation, regulation and best practice relating to schools",
                   "source": {"document": DOC, "line": 372}}
    assert all("." in c["id"] for u in units.values() for c in u["criteria"])
    assert not any(c["text"].startswith("Understand") for c in units["8391-500"]["criteria"])
    # Depth and guidance lines where the AC number is followed by a tab.
    assert crit(units, "8391-500", "6.1")["depth"][0] == (
        "Health and safety legislation: Health and Safety at Work Act (1974)")
    assert crit(units, "8391-500", "2.1")["requirements"][0].startswith(
        "Describe the role of the key regulatory bodies in the school environment.")
    # Continuation lines of a guidance block stay with their AC (not the next one).
    assert crit(units, "8391-503", "3.1")["requirements"][-1].startswith("Finally at least one improvement")
    assert crit(units, "8391-503", "3.2")["requirements"][0].startswith("Explain the process for developing")


def test_committed_file_is_a_fresh_build(spec: dict[str, Any]) -> None:
    from knowledge.build import SPECS_DIR, render_yaml

    assert (SPECS_DIR / "l5_sbl_diploma.yaml").read_text(encoding="utf-8") == render_yaml(spec)
