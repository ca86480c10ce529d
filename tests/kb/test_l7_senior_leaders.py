"""The City & Guilds Level 7 Diploma for Senior Leaders (004) as the importer reads it.

Expected values are copied from knowledge/sources/004_b41f7af1a8dc27ae.txt by hand.
"""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.build import build_spec, spec_source

DOC = "004_b41f7af1a8dc27ae.txt"
QID = "l7-senior-leaders-diploma"
EXPECTED_COUNTS = {
    "8431-700": 12, "8431-701": 6, "8431-702": 6, "8431-703": 8,
    "8431-704": 5, "8431-705": 4, "8431-706": 5,
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return build_spec(spec_source("l7_senior_leaders"))


@pytest.fixture(scope="module")
def units(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {u["code"]: u for u in spec["units"]}


@pytest.fixture(scope="module")
def qual(spec: dict[str, Any]) -> dict[str, Any]:
    (q,) = spec["qualifications"]
    return q


def crit(units: dict[str, dict[str, Any]], code: str, ac: str) -> dict[str, Any]:
    return next(c for c in units[code]["criteria"] if c["id"] == ac)


def assessment(units: dict[str, dict[str, Any]], code: str, kind: str) -> dict[str, Any]:
    return next(a for a in units[code]["assessment"] if a["kind"] == kind)


# -- structure ---------------------------------------------------------------------------------

def test_units_and_criteria_counts(units: dict[str, dict[str, Any]]) -> None:
    assert list(units) == list(EXPECTED_COUNTS)
    assert {code: len(u["criteria"]) for code, u in units.items()} == EXPECTED_COUNTS
    assert sum(len(u["criteria"]) for u in units.values()) == 46


def test_ids_match_learning_outcomes(units: dict[str, dict[str, Any]]) -> None:
    for u in units.values():
        los = [lo["number"] for lo in u["learning_outcomes"]]
        assert los == list(range(1, len(los) + 1)), u["code"]
        ids = [c["id"] for c in u["criteria"]]
        assert len(ids) == len(set(ids)), u["code"]
        for c in u["criteria"]:
            assert c["id"].split(".")[0] == str(c["lo"]), (u["code"], c["id"])
            assert c["lo"] in los
            assert c["text"] and c["depth"] and c["requirements"]
            assert c["source"]["document"] == DOC
    assert [lo["number"] for lo in units["8431-703"]["learning_outcomes"]] == [1, 2, 3, 4]


def test_unit_headers(units: dict[str, dict[str, Any]]) -> None:
    u = units["8431-700"]
    assert u["title"] == "Building a High Performance Team"
    assert (u["level"], u["glh"], u["credits"]) == (7, 182, None)
    assert u["aim"] == ("This unit will enable the learner to lead and influence people, drive continuous "
                        "improvement, and develop a high performance team.")
    assert u["source"]["line"] == 532
    assert u["qualifications"] == [QID]
    assert u["assessment_notes"] == ["Portfolio or Unit Assignment"]
    assert u["standards"] == [
        "This unit fully maps to the Team Working & Development KSB grouping within the Level 7 Senior "
        "Leader Apprenticeship (ST0480/AP03):",
        "K10, K18", "S4.2, S15, S16, S17, S18", "B2, B5",
    ]
    assert {c: u["glh"] for c, u in units.items()} == {
        "8431-700": 182, "8431-701": 55, "8431-702": 89, "8431-703": 95,
        "8431-704": 46, "8431-705": 47, "8431-706": 33,
    }
    assert units["8431-703"]["title"] == "Organisational Values & the Strategic Context"
    assert units["8431-706"]["standards"][1:] == ["K11", "S9, S12, S14", "B4"]
    assert units["8431-705"]["learning_outcomes"][0]["text"] == (
        "The learner will be able to apply the process of ‘Systems Thinking’ to deliver creative solutions.")


# -- criteria wording ------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "ac", "text", "line"), [
    ("8431-700", "1.1", "Explain how to utilise organisational and team dynamics.", 566),
    ("8431-700", "1.4", "Optimise use of the skills of self and others through: Continuous Professional "
                        "Development (CPD). Workforce planning.", 617),
    ("8431-701", "1.4", "Evaluate how a strategic business proposal takes account of stakeholder "
                        "engagement.", 961),
    ("8431-702", "3.1", "Critically analyse, in the context of competitive strategies and "
                        "entrepreneurialism, decision making and insight to implement and manage "
                        "change.", 1206),
    ("8431-703", "1.1", "Interpret ethics and value-based leadership in order to challenge "
                        "assumptions.", 1336),
    ("8431-704", "2.2", "Deliver and present a strategic business proposal.", 1784),
    ("8431-705", "1.1", "Describe the concept of 'Systems Thinking' and how this has led to the development "
                        "of creative and innovative solutions.", 1867),
    ("8431-706", "2.3", "Justify their approach to overseeing contracts.", 2149),
])
def test_criterion_wording(units: dict[str, dict[str, Any]], code: str, ac: str, text: str,
                           line: int) -> None:
    c = crit(units, code, ac)
    assert c["text"] == text
    assert c["source"]["line"] == line


def test_ksbs_and_pass_descriptor(units: dict[str, dict[str, Any]]) -> None:
    assert crit(units, "8431-700", "1.1")["ksbs"] == ["K10"]
    assert crit(units, "8431-700", "1.4")["ksbs"] == ["S18", "B5"]
    assert crit(units, "8431-700", "3.1")["ksbs"] == ["S4.2"]
    assert crit(units, "8431-705", "2.1")["ksbs"] == ["K8", "K9", "S11"]
    # "(Pass Descriptor)" is not a KSB, but is kept as a flag
    pd = crit(units, "8431-700", "1.5")
    assert pd["ksbs"] == [] and pd["pass_descriptor"] is True
    sbp = crit(units, "8431-704", "2.2")  # "(S13, Pass Grading Descriptor)"
    assert sbp["ksbs"] == ["S13"] and sbp["pass_descriptor"] is True
    assert crit(units, "8431-700", "1.1")["pass_descriptor"] is False
    flagged = [(code, c["id"]) for code, u in units.items() for c in u["criteria"] if c["pass_descriptor"]]
    assert flagged == [("8431-700", "1.5"), ("8431-704", "2.2")]


def test_requirements_depth_advice_min_counts(units: dict[str, dict[str, Any]]) -> None:
    c = crit(units, "8431-700", "1.1")
    assert c["requirements"] == [
        "The learner must explain utilisation of both organisational and team dynamics to build engagement "
        "and develop a high performance team.",
        "The explanation must be supported by at least two relevant theories and models, including reference "
        "to leadership style and its impact.",
    ]
    assert c["min_counts"] == [{"n": 2, "what": "relevant theories and models"}]
    assert c["advice"] == []
    assert c["depth"][0] == ("Use of team management skills such as team balance, to achieve strategic "
                             "objectives through the team.")
    assert c["depth"][2] == "Covey's Partnership Paradigm."
    assert len(c["depth"]) == 7

    c = crit(units, "8431-700", "1.4")
    assert c["requirements"] == [
        "The learner must demonstrate:",
        "How they pro-actively seek and encourage others to engage with continual development opportunities.",
        "How they have optimised skills of self and others through effective workforce planning with "
        "reference to their impact on the balance of people and technical skills.",
        "How they have optimised team engagement in order to develop high performance, agile and "
        "collaborative cultures.",
    ]
    assert c["min_counts"] == []

    c = crit(units, "8431-701", "1.4")
    assert c["requirements"][-1] == ("(The learner does not have to produce a strategic business proposal "
                                     "for this AC.)")
    assert c["min_counts"][0]["n"] == 4

    assert crit(units, "8431-700", "2.1")["min_counts"] == [{"n": 3, "what": "relevant models"}]
    assert crit(units, "8431-700", "2.2")["min_counts"] == [{"n": 2, "what": "recent incidents"}]
    assert crit(units, "8431-701", "1.1")["min_counts"] == [{"n": 3, "what": "examples"}]
    assert crit(units, "8431-704", "1.1")["min_counts"] == [
        {"n": 1, "what": "relevant influencing strategy"}, {"n": 1, "what": "relevant negotiating strategy"}]
    assert crit(units, "8431-704", "1.2")["min_counts"] == [{"n": 2, "what": "recognised theories"}]
    c = crit(units, "8431-704", "2.2")
    assert c["requirements"][-1] == ("The presentation must be planned and appropriate for at least two "
                                     "different audiences. The presentation does not have to be a "
                                     "PowerPoint.")
    assert c["min_counts"] == [{"n": 2, "what": "different audiences"}]
    # a depth cell that follows the previous line without a blank line (702 AC1.2)
    c = crit(units, "8431-702", "1.2")
    assert c["depth"][-1] == ("Impact of sustainability and the UK Net Carbon Zero by 2050 target on "
                              "strategy and services.")
    assert len(c["requirements"]) == 1


def test_assessment_guidance_header_variant(units: dict[str, dict[str, Any]]) -> None:
    # Unit 700 LO2's table says "Assessment Guidance (Sufficiency)"; 703 LO1 splits the header line.
    c = crit(units, "8431-700", "2.1")
    assert c["requirements"] == [
        "The learner must demonstrate and evaluate how they both lead and influence people.",
        "This must be supported by reference to at least three relevant models."]
    assert "Assessment Guidance (Sufficiency)" not in c["depth"]
    c = crit(units, "8431-703", "1.1")
    assert c["depth"][0] == "Theories of ethical leadership such as:"
    assert c["requirements"][0].startswith("The learner must interpret theories and principles of ethics")
    assert len(c["requirements"]) == 6


def test_unit_evidence_and_delivery(units: dict[str, dict[str, Any]]) -> None:
    u = units["8431-700"]
    assert u["evidence"][0] == "Partnership agreements and outcome monitoring."
    assert u["evidence"][-1] == "Organisational structure charts/maps."
    assert len(u["evidence"]) == 9
    assert units["8431-706"]["evidence"] == [
        "Workforce planning documents.", "Policies on diversity/inclusive working.",
        "Procurement, supply chain management and contracting outcomes."]
    assert u["delivery_guidance"][0].startswith("Tutor-led time that blends theory with practice")
    assert units["8431-701"]["learning_resources"][0] == "Source Text:"


def test_standard_mapping(units: dict[str, dict[str, Any]]) -> None:
    m = units["8431-700"]["standard_mapping"]
    assert m[0]["text"].startswith("K10 Organisational/team dynamics")
    assert m[0]["criteria"] == ["1.1", "1.2"] and m[0]["kind"] == "ksb"
    descriptor = next(x for x in m if x["kind"] == "pass_descriptor")
    assert descriptor["criteria"] == ["1.2", "1.5"]
    assert descriptor["source"]["line"] == 3218
    assert units["8431-706"]["standard_mapping"][-1]["criteria"] == ["2.1", "2.2", "2.3"]


# -- assessments -----------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "words", "limit", "line"), [
    ("8431-700", 4500, 30, 3463),
    ("8431-701", 3000, 20, 3560),
    ("8431-702", 5000, 35, 3623),
    ("8431-703", 3500, 20, 3712),
    ("8431-704", 3000, 20, 3798),
    ("8431-705", 3000, 20, 3851),
    ("8431-706", 2500, 20, 3903),
])
def test_assignment_word_counts_and_timings(units: dict[str, dict[str, Any]], code: str, words: int,
                                            limit: int, line: int) -> None:
    written = assessment(units, code, "written")
    assert written["word_count"] == {"nominal": words, "min": words * 9 // 10, "max": words * 11 // 10}
    assert written["source"]["line"] == line
    assert assessment(units, code, "assignment")["word_count"] == written["word_count"]
    for kind in ("presentation", "professional_discussion"):
        a = assessment(units, code, kind)
        assert a["timing_minutes"] == {"nominal": None, "min": None, "max": limit}
        assert a["word_count"] == {"nominal": None, "min": None, "max": None}
    assert [a["kind"] for a in units[code]["assessment"]] == [
        "portfolio", "assignment", "written", "presentation", "professional_discussion"]


def test_assignment_tasks_and_pass_rule(units: dict[str, dict[str, Any]]) -> None:
    a = assessment(units, "8431-706", "assignment")
    assert a["text"][0].startswith("Aim: In relation to your current Senior Leader role and duties you will "
                                   "drive a culture of resilience")
    assert "You are asked to justify your approach and own practice to each of the following:" in a["text"]
    assert "(AC2.1, AC2.2, AC2.3)" in a["text"]
    # the reworded AC column of the assignment is not copied as task text
    assert "Justify their approach to overseeing procurement." not in a["text"]
    assert a["pass_rule"] == ("In order to Pass the unit, every Assessment Criteria must be demonstrated by "
                              "meeting the Assessment Requirement (Sufficiency).")
    assert a["source"]["line"] == 3894
    a705 = assessment(units, "8431-705", "assignment")
    assert ("Evidence of skills applied in real-work situations is required; scenarios are not accepted "
            "because they do not support demonstration of your skills.") in a705["text"]
    portfolio = assessment(units, "8431-700", "portfolio")
    assert portfolio["text"] == ["Portfolio – evidence across one or more units."]
    assert portfolio["source"]["line"] == 306


# -- qualification -----------------------------------------------------------------------------

def test_qualification_facts(spec: dict[str, Any], qual: dict[str, Any]) -> None:
    assert spec["document"] == {"file": DOC, "title": "City & Guilds Level 7 Diploma for Senior Leaders"}
    assert qual["id"] == QID
    assert qual["title"] == "City & Guilds Level 7 Diploma for Senior Leaders"
    assert qual["awarding_body"] == "City & Guilds"
    assert qual["numbers"] == [
        {"kind": "ilm", "value": "8431-31", "note": "Full Payment route"},
        {"kind": "ilm", "value": "8431-33", "note": "Unit Payment route"},
        {"kind": "ilm", "value": "8431-63", "note": "Dual Accreditation route"},
        {"kind": "ofqual", "value": "603/7778/1", "note": None},
    ]
    assert (qual["level"], qual["credits"], qual["glh"], qual["tqt"]) == (7, None, 547, 1001)
    assert qual["registration_validity_months"] == 36
    assert qual["registration_validity_text"] == "Qualification registration is valid for three years."
    assert qual["minimum_age"] == 18
    assert (qual["induction_hours"], qual["tutorial_hours"]) == (2, 8)
    assert qual["entry_requirements"] == "Active within a Senior Leader role"
    assert qual["apprenticeship_standard"] == "Level 7 Senior Leader Apprenticeship (ST0480/AP03)"
    assert qual["source"] == {"document": DOC, "line": 36}


def test_rules_of_combination(qual: dict[str, Any]) -> None:
    codes = list(EXPECTED_COUNTS)
    assert qual["units"] == codes
    roc = qual["rules_of_combination"]
    assert roc["text"] == ["To achieve the City & Guilds Level 7 Diploma for Senior Leaders learners must "
                           "pass all seven units."]
    assert roc["all_units_required"] is True
    assert roc["mandatory"] == codes and roc["optional"] == []
    assert roc["min_optional_units"] is None and roc["min_credits"] is None and roc["groups"] == []


# -- rules -------------------------------------------------------------------------------------

def rule_at(spec: dict[str, Any], line: int) -> dict[str, Any]:
    (r,) = [r for r in spec["rules"] if r["source"]["line"] == line]
    return r


@pytest.mark.parametrize(("line", "topic", "text"), [
    (185, "registration", "Qualification registration is valid for three years."),
    (182, "age", "City & Guilds cannot accept registrations for learners under 18 as these qualifications "
                 "are not approved for under 18s."),
    (214, "induction", "Two hours induction"),
    (215, "tutorial_support", "At least eight hours of tutorial support as part of the Guided Learning "
                              "Hours (GLH)."),
    (311, "grading", "The qualification is graded Pass or Referral (not yet competent). To achieve a Pass "
                     "for the qualification the learner must Pass all seven units."),
    (376, "rpl", "Recognition of prior learning means using previous experience or qualifications to "
                 "contribute to a new qualification. RPL is allowed for this qualification."),
    (399, "simulation", "Evidence of skills applied in real-work situations is required; "
                        "scenarios/simulations to demonstrate skills and behaviours are not accepted because "
                        "they do not support a learner demonstrating their competence."),
    (429, "reflective_account", "Evidence should not: Include reflective accounts by the learner"),
    (443, "evidence_header_footer", "Evidence must be presented as follows: With a header or footer "
                                    "containing the learner’s name, the date the evidence was produced, and "
                                    "an evidence reference number."),
    (444, "evidence_matrix", "Evidence must be presented as follows: The content of the Portfolio must be "
                             "mapped to the relevant Assessment Criteria using an Evidence Matrix such as "
                             "provided in Appendix D."),
    (3954, "evidence_matrix", "Evidence is only required for Units which are being assessed by a Portfolio."),
    (360, "referral", "Assessment decisions can only be determined as Pass or Referral. The only acceptable "
                      "reason for a referral is a failure to meet one or more Assessment Criteria."),
])
def test_rules(spec: dict[str, Any], line: int, topic: str, text: str) -> None:
    r = rule_at(spec, line)
    assert (r["topic"], r["text"], r["qualification"]) == (topic, text, QID)
    assert r["source"]["document"] == DOC


def test_rule_topics_sample(spec: dict[str, Any]) -> None:
    assert rule_at(spec, 422)["topic"] == "witness_testimony"
    # the witness-testimony bullet keeps its parent statement
    feedback = rule_at(spec, 423)
    assert feedback["topic"] == "witness_testimony"
    assert feedback["text"].endswith(
        "· Feedback must focus only on direct observation of evidence rather than opinions.")
    assert "Witness testimony from a reliable, authentic witness" in feedback["text"]
    assert rule_at(spec, 420)["topic"] == "recordings"
    assert "Video or audio extracts" in rule_at(spec, 420)["text"]
    assert rule_at(spec, 466)["topic"] == "professional_discussion"
    assert rule_at(spec, 368)["topic"] == "authenticity"
    assert rule_at(spec, 433)["topic"] == "authenticity"
    assert rule_at(spec, 393)["topic"] == "portfolio"
    assert rule_at(spec, 438)["topic"] == "sufficiency"
    assert rule_at(spec, 4206)["topic"] == "referral"
    assert rule_at(spec, 4206)["text"].startswith("Referral would occur if the learner does not: · provide")
    assert rule_at(spec, 504)["topic"] == "epa"
    assert rule_at(spec, 491)["text"] == ("The Level 7 Senior Leader Apprenticeship (ST0480/AP03) has two "
                                          "assessment methods: Professional Discussion, underpinned by a "
                                          "Portfolio of Evidence.")
    assert rule_at(spec, 23)["topic"] == "epa"
    assert rule_at(spec, 195)["topic"] == "special_considerations"
    topics = {r["topic"] for r in spec["rules"]}
    assert {"registration", "age", "entry", "induction", "tutorial_support", "evidence_types", "portfolio",
            "assignment", "word_count", "epa", "grading", "marking", "rpl", "authenticity"} <= topics
    # table headers and citations are not statements
    lines = {r["source"]["line"] for r in spec["rules"]}
    assert not lines & {69, 147, 210, 211, 212, 3462}
    # the results-sheet instructions are printed seven times but read once
    assert sum("Referral would occur" in r["text"] for r in spec["rules"]) == 3


# -- traps -------------------------------------------------------------------------------------

def test_change_log_creates_no_criteria(spec: dict[str, Any], units: dict[str, dict[str, Any]]) -> None:
    # "Unit 705 AC2.1 (K8)" / "Unit 702 AC1.2 (S6)" in the change log (lines 60-61)
    assert crit(units, "8431-705", "2.1")["source"]["line"] == 1926
    assert crit(units, "8431-702", "1.2")["source"]["line"] == 1117
    lines = [c["source"]["line"] for u in units.values() for c in u["criteria"]]
    assert min(lines) > 530 and max(lines) < 2184  # section 8 only: no change log, no appendices
    assert all(r["source"]["line"] not in range(48, 66) for r in spec["rules"])


def test_appendix_rewording_not_used(units: dict[str, dict[str, Any]]) -> None:
    # Appendix C rewords 700 AC1.5 ("Justify their use of CPD …") and 702 AC3.1 ("… to implement change.")
    assert crit(units, "8431-700", "1.5")["text"] == (
        "Justify how they have used CPD and coaching and mentoring to build engagement and develop a high "
        "performance team.")
    assert crit(units, "8431-702", "3.1")["text"].endswith("to implement and manage change.")
    # Appendix E reprints the sufficiency text; each criterion keeps only its unit-section copy
    assert len(crit(units, "8431-700", "1.4")["requirements"]) == 4


def test_no_bookmark_debris(spec: dict[str, Any]) -> None:
    def strings(x: Any) -> list[str]:
        if isinstance(x, str):
            return [x]
        if isinstance(x, dict):
            return [s for v in x.values() for s in strings(v)]
        if isinstance(x, list):
            return [s for v in x for s in strings(v)]
        return []
    assert not [s for s in strings(spec) if "[bookmark" in s or "\t" in s]


def test_full_codes_only(units: dict[str, dict[str, Any]], qual: dict[str, Any]) -> None:
    # 8431-700/701 share short numbers with 8316-700/701 in another document
    assert all(code.startswith("8431-") for code in units)
    assert all(code.startswith("8431-") for code in qual["units"])
