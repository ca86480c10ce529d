"""002: ILM Level 6 Award / Diploma in Management (8316 units) — importer output against the source."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.build import SOURCES_DIR, SPECS_DIR, build_spec, render_yaml, spec_source
from knowledge.importers.common import clean, min_counts

DOC = "002_53f5949d7c70dc30.txt"
AWARD = "l6-management-award"
DIPLOMA = "l6-management-diploma"

EXPECTED_CRITERIA = {
    "8316-507": 5, "8316-530": 8, "8316-602": 3, "8316-603": 3, "8316-604": 2, "8316-605": 5,
    "8316-607": 5, "8316-608": 5, "8316-609": 10, "8316-610": 4, "8316-700": 6, "8316-701": 5,
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return build_spec(spec_source("l6_management"))


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    return (SOURCES_DIR / DOC).read_text(encoding="utf-8").splitlines()


def unit(spec: dict[str, Any], code: str) -> dict[str, Any]:
    found = [u for u in spec["units"] if u["code"] == code]
    assert len(found) == 1, (code, len(found))
    return found[0]


def crit(spec: dict[str, Any], code: str, ac: str) -> dict[str, Any]:
    return next(c for c in unit(spec, code)["criteria"] if c["id"] == ac)


def qual(spec: dict[str, Any], qid: str) -> dict[str, Any]:
    return next(q for q in spec["qualifications"] if q["id"] == qid)


def assessment(spec: dict[str, Any], code: str, title: str) -> dict[str, Any]:
    return next(a for a in unit(spec, code)["assessment"] if a["title"] == title)


# -- units and criteria ------------------------------------------------------------------------------

def test_criteria_count_per_unit(spec: dict[str, Any]) -> None:
    assert {u["code"]: len(u["criteria"]) for u in spec["units"]} == EXPECTED_CRITERIA
    assert sum(len(u["criteria"]) for u in spec["units"]) == 61


def test_lo_numbers_and_ac_ids_agree(spec: dict[str, Any]) -> None:
    for u in spec["units"]:
        los = [lo["number"] for lo in u["learning_outcomes"]]
        assert len(los) == len(set(los)), u["code"]
        ids = [c["id"] for c in u["criteria"]]
        assert len(ids) == len(set(ids)), u["code"]
        for c in u["criteria"]:
            assert c["id"].split(".")[0] == str(c["lo"]), (u["code"], c["id"])
            assert c["lo"] in los, (u["code"], c["id"])
        assert all(any(c["lo"] == n for c in u["criteria"]) for n in los), u["code"]


def test_criterion_wording_is_exact(spec: dict[str, Any]) -> None:
    samples = {
        ("8316-602", "1.1"):
            "Collect and analyse feedback from appraisal/performance management systems and from "
            "colleagues about own management practice, and operational data about own managerial "
            "effectiveness",
        ("8316-604", "1.2"):
            "Undertake research that is relevant to own role to inform own management and leadership "
            "practice",
        ("8316-507", "2.1"):
            "Employ theories of emotional intelligence to review critically the effect of emotions on "
            "own and others’ performance",
        ("8316-530", "1.3"):
            "Explain the importance of creating the necessary, safe and confidential conditions for "
            "engaging in effective coaching or mentoring and of agreeing the expectations, processes "
            "and boundaries of a coaching or mentoring programme with all stakeholders",
        ("8316-605", "1.4"):
            "Critically review organisation structures, culture and internal communication systems and "
            "assess their effectiveness in enabling the implementation of policy and strategy",
        ("8316-608", "1.4"):
            "Collect, validate and analyse data collected from the organisation in order to employ the "
            "selected operations research methodology to propose an appropriate solution",
        ("8316-609", "3.2"): "Reflect on and learn from the outcomes of a project",
        ("8316-610", "1.2"):
            "Lead a review of and where appropriate revise the organisation’s statement of vision and "
            "values, and its policies on corporate social responsibility and sustainability",
        ("8316-700", "2.1"):
            "Agree the aims and success criteria for teams and organisational partnerships with senior "
            "managers, Board of Directors/Trustees/Governors and other stakeholders",
        ("8316-701", "1.2"):
            "Compare alternative models of change management and critically assess their suitability "
            "and effectiveness for bringing about an identified change on the organisation",
    }
    for (code, ac), text in samples.items():
        assert crit(spec, code, ac)["text"] == text, (code, ac)


def test_criterion_source_lines(spec: dict[str, Any], source_lines: list[str]) -> None:
    # ACs stand in a block of numbers, their texts come after: the source is the text's line.
    assert crit(spec, "8316-530", "1.4")["source"] == {"document": DOC, "line": 800}
    assert crit(spec, "8316-609", "2.1")["source"]["line"] == 1440
    for u in spec["units"]:
        for c in u["criteria"]:
            assert clean(source_lines[c["source"]["line"] - 1]) == c["text"], (u["code"], c["id"])


def test_learning_outcomes(spec: dict[str, Any]) -> None:
    # "3\tEvaluate a complex project" (a tab, not a space, after the number).
    assert [lo["text"] for lo in unit(spec, "8316-609")["learning_outcomes"]] == [
        "Plan a complex project", "Lead a complex project to a successful close",
        "Evaluate a complex project"]
    assert unit(spec, "8316-507")["learning_outcomes"][1] == {
        "number": 2, "text": "Evaluate own awareness of emotions in shaping performance",
        "source": {"document": DOC, "line": 614}}


def test_unit_facts(spec: dict[str, Any]) -> None:
    facts = {u["code"]: (u["level"], u["credits"], u["glh"]) for u in spec["units"]}
    assert facts == {
        "8316-602": (6, 6, 11), "8316-604": (6, 6, 15), "8316-507": (5, 5, 25), "8316-530": (5, 5, 18),
        "8316-603": (6, 6, 11), "8316-605": (6, 6, 11), "8316-607": (6, 6, 11), "8316-608": (6, 3, 10),
        "8316-609": (6, 12, 22), "8316-610": (7, 6, 11), "8316-700": (7, 6, 11), "8316-701": (7, 6, 11),
    }
    u = unit(spec, "8316-603")
    assert u["title"] == "Optimising organisational capacity"
    assert u["aim"] == (
        "To enable learners to recognise the range of resources used in organisations, measure their "
        "capacity and utilisation and make recommendations for changes in resource capacity.")
    assert u["standards"] == ["Links to Management & Leadership 2008 NOS: B4, E4"]
    assert unit(spec, "8316-608")["title"] == "Managing Operations Research"
    # "Links to Management & Leadership 2008 NOS:" with nothing after it maps to no standard.
    assert unit(spec, "8316-507")["standards"] == []
    assert unit(spec, "8316-530")["standards"] == [
        "Links to ENTO 2006 NOS (Coaching & Mentoring in a Work Environment): CM1, CM15, CM22"]


def test_reference_numbers_are_the_older_ilm_codes(spec: dict[str, Any]) -> None:
    codes = {u["code"]: u["reference_numbers"][0] for u in spec["units"]}
    assert codes["8316-602"] == {"label": "ILM unit code", "value": "M6.01"}
    # The guidance table lists them out of number order: matched by title, not position.
    assert codes["8316-603"]["value"] == "M6.04"
    assert codes["8316-605"]["value"] == "M6.03"
    assert codes["8316-608"]["value"] == "M6.09"
    assert codes["8316-530"]["value"] == "D5.01"
    assert codes["8316-701"]["value"] == "M7.05"
    support = "Support for the unit from a sector skills council or other appropriate body (if required)"
    assert {"label": support, "value": "ENTO"} in unit(spec, "8316-530")["reference_numbers"]


def test_indicative_content_per_learning_outcome(spec: dict[str, Any]) -> None:
    depth = crit(spec, "8316-507", "2.1")["depth"]
    assert depth[0] == ("The concept of emotional intelligence as developed by different theorists and how "
                        "it applies to the leadership role")
    assert "· organisational and ‘political’ awareness" in depth
    assert crit(spec, "8316-609", "3.1")["depth"] == [
        "· Project evaluation and reporting",
        "· Using project evaluation to reflect on own performance and skills"]
    # 605 prints indicative content for LO 1 only.
    assert crit(spec, "8316-605", "2.1")["depth"] == []
    # "1. Operations Research …" lines are content, not AC numbers: kept verbatim on LO 1 and 2.
    assert crit(spec, "8316-608", "1.1")["depth"][0] == (
        "1. Operations Research as a scientific approach to problem-solving and decision-making")
    assert crit(spec, "8316-608", "2.1")["depth"] == [
        "1. Using the outcomes of operational research to optimise choices and improve organisational "
        "efficiency"]


def test_requirements_come_from_the_section_assessing_the_criterion(spec: dict[str, Any]) -> None:
    c = crit(spec, "8316-604", "1.2")
    assert c["requirements"] == [
        "· Undertake research that is relevant to your own role to inform own management and leadership "
        "practice.",
        "You need to consider the conclusions made in relation to your own role. Select at least one of "
        "these conclusions and investigate further to gain additional knowledge and understanding. Use the "
        "additional knowledge and understanding gained to inform your own leadership and management "
        "practice.",
        "(min 45 marks required from 90 available)",
        "· Research that is relevant to own role has been undertaken to inform own management and leadership "
        "practice",
    ]
    assert c["min_counts"] == min_counts(c["requirements"]) and [m["n"] for m in c["min_counts"]] == [1]
    # The task asks for 530's barriers (AC 2.2) before the business case (AC 2.1).
    c = crit(spec, "8316-530", "2.2")
    assert c["requirements"] == [
        "Identify any potential barriers to coaching and mentoring that may be encountered and suggest "
        "strategies for overcoming these.",
        "(min 7 marks required from 14 available)",
        "· Potential organisational barriers to using coaching and mentoring are identified and appropriate "
        "strategies for overcoming them developed",
    ]
    assert c["advice"] == [c["requirements"][0]]
    assert crit(spec, "8316-530", "2.1")["requirements"][:3] == [
        "Assess:",
        "· the contribution coaching and mentoring could make to individuals and the organisation, and",
        "· its role in relation to alternative developmental and support strategies.",
    ]
    assert crit(spec, "8316-607", "2.2")["requirements"][:3] == [
        "· Prepare:", "· a rationale for implementing the proposed strategy",
        "· contingency plans for dealing with risk assessment"]
    # 610 AC 1.1 and 1.2 are restated almost alike; each keeps its own bullet.
    assert crit(spec, "8316-610", "1.2")["requirements"][-1] == (
        "· The organisation’s vision and values and its policies on corporate social responsibility and "
        "sustainability is reviewed")
    assert crit(spec, "8316-701", "1.2")["advice"] == [
        "Examine the change process and use your knowledge of change management theories and practices to "
        "assess the suitability and effectiveness of the process being used, and identify (and justify) any "
        "alternative approaches that may be more appropriate in achieving the desired goals."]
    for u in spec["units"]:
        for c in u["criteria"]:
            assert c["requirements"], (u["code"], c["id"])
            assert c["min_counts"] == min_counts(c["requirements"])


# -- assessments --------------------------------------------------------------------------------------

def test_word_counts(spec: dict[str, Any]) -> None:
    def wc(code: str, title: str) -> dict[str, int | None]:
        return assessment(spec, code, title)["word_count"]

    assert wc("8316-602", "REFLECTIVE REVIEW: 602") == {"nominal": 2000, "min": 1500, "max": 3000}
    assert wc("8316-604", "REFLECTIVE REVIEW: 604") == {"nominal": 3000, "min": 2000, "max": 4000}
    assert wc("8316-604", "INTEGRATED WORK-BASED ASSIGNMENT: 602 AND 604") == {
        "nominal": 5000, "min": 4000, "max": 6000}
    # "This task should be between 1,500 and 2,000 words." — no nominal count printed.
    assert wc("8316-507", "REFLECTIVE REVIEW: 507") == {"nominal": None, "min": 1500, "max": 2000}
    assert wc("8316-609", "WORK-BASED ASSIGNMENT: 609") == {"nominal": 4500, "min": 4000, "max": 5000}
    assert wc("8316-701", "CONSULTANCY REPORT: 701") == {"nominal": 4000, "min": 3000, "max": 5000}
    # 530 and 700 print no word count.
    assert wc("8316-530", "WORK-BASED ASSIGNMENT: 530") == {"nominal": None, "min": None, "max": None}
    assert wc("8316-700", "REFLECTIVE REVIEW: 700") == {"nominal": None, "min": None, "max": None}
    for u in spec["units"]:
        assert all(a["timing_minutes"] is None and a["weighting"] is None for a in u["assessment"])


def test_marks_per_section_and_pass_rule(spec: dict[str, Any]) -> None:
    tasks = [a for a in unit(spec, "8316-701")["assessment"]
             if a["title"].startswith("CONSULTANCY REPORT: 701")]
    main, sections = tasks[0], tasks[1:]
    assert main["kind"] == "report"
    assert main["pass_rule"] == "Total 50 + overall, AND minimum in each section"
    assert (main["min_marks"], main["marks_available"]) == (50, 100)
    assert [(s["title"].split(" – ")[1], s["marks_available"], s["min_marks"]) for s in sections] == [
        ("Context", 10, 5), ("The reasons for the change", 10, 5), ("The management of change", 30, 15),
        ("The effects of the change management project", 20, 10), ("The leadership of change", 30, 15)]
    # The printed line lacks its closing parenthesis; kept as printed.
    assert sections[3]["pass_rule"] == "(min 10 marks required from 20 available"
    sec = assessment(spec, "8316-608",
                     "WORK-BASED ASSIGNMENT: 608 – Be able to conduct operations research in an organisation")
    assert (sec["marks_available"], sec["min_marks"], sec["source"]["line"]) == (80, 40, 3804)
    assert assessment(spec, "8316-700", "REFLECTIVE REVIEW: 700")["kind"] == "reflective_account"
    assert assessment(spec, "8316-603", "WORK-BASED ASSIGNMENT: 603")["kind"] == "assignment"
    assert "Total 50 + overall, AND minimum in each section" in unit(spec, "8316-605")["assessment_notes"]


def test_assessment_text(spec: dict[str, Any]) -> None:
    a = assessment(spec, "8316-530", "WORK-BASED ASSIGNMENT: 530")
    assert a["text"] == [
        "Prepare a proposal for a management coaching or mentoring programme and explain how you will ensure "
        "best practice in your coaching or mentoring practice.",
        "The case can be either “forward looking” or “backward looking”."]
    assert a["source"] == {"document": DOC, "line": 2514}
    assert unit(spec, "8316-603")["assessment_notes"][0].startswith(
        "Learners are expected to demonstrate they have undertaken a literature review of the key research")


# -- qualifications ----------------------------------------------------------------------------------

def test_award_facts(spec: dict[str, Any]) -> None:
    q = qual(spec, AWARD)
    assert q["title"] == "Level 6 Award in Management"
    assert q["numbers"] == [{"kind": "ofqual", "value": "500/3694/4", "note": None}]
    assert (q["level"], q["credits"], q["glh"], q["tqt"]) == (6, 12, 34, 120)
    assert (q["induction_hours"], q["tutorial_hours"]) == (1, 7)
    # The document states no registration validity and no minimum age: left empty, never invented.
    assert q["registration_validity_months"] is None and q["registration_validity_text"] is None
    assert q["minimum_age"] is None and q["entry_requirements"] is None
    assert q["units"] == ["8316-602", "8316-604"]
    roc = q["rules_of_combination"]
    assert roc["all_units_required"] is True
    assert roc["mandatory"] == ["8316-602", "8316-604"] and roc["optional"] == []
    assert roc["min_credits"] == 12 and roc["groups"] == [] and roc["min_share_at_level"] is None
    assert roc["text"] == ["Learners must complete two mandatory units with a combined credit value of 12 to "
                           "complete this qualification."]


def test_diploma_facts(spec: dict[str, Any]) -> None:
    q = qual(spec, DIPLOMA)
    assert q["numbers"] == [{"kind": "ofqual", "value": "600/1462/3", "note": None}]
    assert (q["level"], q["credits"], q["glh"], q["tqt"]) == (6, 42, 77, 420)
    assert q["average_glh"] == 81                      # "Average Guided Learning Hours: 81"
    assert (q["induction_hours"], q["tutorial_hours"]) == (2, 8)
    assert q["registration_validity_months"] is None and q["minimum_age"] is None
    assert q["source"] == {"document": DOC, "line": 66}
    assert sorted(q["units"]) == sorted(EXPECTED_CRITERIA)
    roc = q["rules_of_combination"]
    assert roc["all_units_required"] is False and roc["mandatory"] == []
    assert roc["min_credits"] == 42
    assert roc["groups"] == [
        {"name": "Group A", "units": ["8316-602", "8316-603", "8316-604", "8316-605"], "min_credits": 12},
        {"name": "Group B", "units": ["8316-507", "8316-530", "8316-602", "8316-603", "8316-604", "8316-605",
                                      "8316-607", "8316-608", "8316-609", "8316-610", "8316-700", "8316-701"],
         "min_credits": 30},
    ]
    assert roc["group_exclusive"] is True
    assert roc["min_share_at_level"] == {"level": 6, "more_than_percent": 50}
    assert roc["text"][1] == "Units completed in Group A cannot be taken from Group B."


def test_units_name_their_qualifications(spec: dict[str, Any]) -> None:
    both = {"8316-602", "8316-604"}
    for u in spec["units"]:
        expected = [AWARD, DIPLOMA] if u["code"] in both else [DIPLOMA]
        assert u["qualifications"] == expected, u["code"]
        for qid in u["qualifications"]:
            assert u["code"] in qual(spec, qid)["units"]


# -- rules ---------------------------------------------------------------------------------------------

def test_rules(spec: dict[str, Any], source_lines: list[str]) -> None:
    def find(qid: str, start: str) -> dict[str, Any]:
        return next(r for r in spec["rules"] if r["qualification"] == qid and r["text"].startswith(start))

    r = find(AWARD, "Centres must ensure that learners adequately complete all sections")
    assert (r["topic"], r["source"]["line"]) == ("marking", 325)
    assert "compensation between learning outcomes is not allowed in any unit" in r["text"]
    assert find(DIPLOMA, "Centres must ensure that learners")["source"]["line"] == 393
    r = find(AWARD, "Induction:")
    assert (r["topic"], r["text"], r["source"]["line"]) == ("induction", "Induction: At least 1 hour", 17)
    assert find(DIPLOMA, "Tutorial Support:")["text"] == "Tutorial Support: 8 Hours"
    r = find(DIPLOMA, "Units completed in Group A")
    assert (r["topic"], r["source"]["line"]) == ("structure", 94)
    r = find(AWARD, "By submitting I confirm")
    assert (r["topic"], r["source"]["line"]) == ("authenticity", 1867)
    assert find(DIPLOMA, "By submitting I confirm")["source"]["line"] == 2406
    assert find(DIPLOMA, "***Units M6.01 and M6.02")["topic"] == "assignment"
    assert find(AWARD, "· Ideally hold a valid and recognised")["topic"] == "tutor_requirements"
    assert find(AWARD, "· Ideally hold an assessment qualification")["topic"] == "assessor_requirements"
    assert find(AWARD, "Note: This a qualification specific document")["source"]["line"] == 1
    # A statement printed on every mark sheet (renumbered "3." on some) is one rule per qualification.
    texts = [r["text"] for r in spec["rules"] if r["qualification"] == DIPLOMA]
    assert texts.count("By submitting I confirm that this assessment is my own work") == 1
    assert not any(t.startswith("3. Learner named below") for t in texts)
    # Both qualifications get the shared statements.
    for topic in ("general", "induction", "tutorial_support", "structure", "assessor_requirements",
                  "tutor_requirements", "assessment_method", "word_count", "marking", "authenticity",
                  "referral", "grading", "progression", "assignment"):
        assert {r["qualification"] for r in spec["rules"] if r["topic"] == topic} == {AWARD, DIPLOMA}, topic
    for r in spec["rules"]:
        first = clean(source_lines[r["source"]["line"] - 1])
        assert first and (r["text"].startswith(first) or first.startswith(r["text"])
                          or r["text"] in first), r


# -- traps -----------------------------------------------------------------------------------------------

def test_602_and_604_printed_twice_become_one_unit_each(spec: dict[str, Any],
                                                        source_lines: list[str]) -> None:
    codes = [u["code"] for u in spec["units"]]
    assert codes.count("8316-602") == 1 and codes.count("8316-604") == 1
    u = unit(spec, "8316-602")
    # The Diploma copy prints the only LO as "2"; its ACs (1.1–1.3) and the Award copy say 1.
    assert clean(source_lines[901]) == "2 Improve own managerial practice"
    assert clean(source_lines[424]) == "1 Improve own managerial practice"
    assert u["learning_outcomes"] == [{"number": 1, "text": "Improve own managerial practice",
                                       "source": {"document": DOC, "line": 425}}]
    assert [(c["id"], c["lo"]) for c in u["criteria"]] == [("1.1", 1), ("1.2", 1), ("1.3", 1)]
    assert u["source"]["line"] == 410
    # Their prescribed tasks, printed for each qualification, are attached once.
    titles = [a["title"] for a in u["assessment"]]
    assert titles.count("REFLECTIVE REVIEW: 602") == 1
    assert titles.count("INTEGRATED WORK-BASED ASSIGNMENT: 602 AND 604") == 1
    assert [a["title"] for a in unit(spec, "8316-604")["assessment"]].count("REFLECTIVE REVIEW: 604") == 1


def test_integrated_assignment_belongs_to_602_and_604_only(spec: dict[str, Any]) -> None:
    holders = [u["code"] for u in spec["units"]
               if any(a["title"].startswith("INTEGRATED WORK-BASED ASSIGNMENT") for a in u["assessment"])]
    assert holders == ["8316-602", "8316-604"]
    assert unit(spec, "8316-604")["assessment_notes"][:2] == [
        "***Units 602 and 604 can also be assessed by an integrated work-based assignment (shown in "
        "Appendix B) if both the units are part of the pathway selected.",
        "***Units M6.01 and M6.02 can also be assessed by an integrated work-based assignment (shown in "
        "Appendix B) if both the units are part of the pathway selected.",
    ]
    assert not any(n.startswith("***") for n in unit(spec, "8316-603")["assessment_notes"])


def test_610_is_level_7_despite_its_number(spec: dict[str, Any]) -> None:
    assert unit(spec, "8316-610")["level"] == 7
    assert unit(spec, "8316-609")["level"] == 6


def test_full_codes_and_no_bookmark_debris(spec: dict[str, Any]) -> None:
    # 8316-700/701 share numbers with 8431-700/701, 8316-602..605 with 8631-602..605.
    assert all(u["code"].startswith("8316-") for u in spec["units"])
    for q in spec["qualifications"]:
        assert all(code.startswith("8316-") for code in q["units"])
    assert "[bookmark:" not in render_yaml(spec)


def test_committed_file_is_a_fresh_build(spec: dict[str, Any]) -> None:
    assert (SPECS_DIR / "l6_management.yaml").read_text(encoding="utf-8") == render_yaml(spec)
