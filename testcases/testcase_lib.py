"""testcase_lib.py — what a racecheck testcase expects, and whether a set of findings meets it.

Shared by run_testcase.py (the ctest driver), check_determinism.py, check_with_tsan.py and
the self-tests (test_verdicts.py, test_driver.py). Python 3 standard library only.

A testcase is one C or C++ file whose first lines are `// KEY: value` header comments:
  EXPECT: race|none|lock-order-cycle|deadlock|crash|hang|livelock|starvation|failure|
          output-mismatch|misuse
                        the verdict (required)
  DESCRIPTION: ...      what the program does (required)
  SCHEDULES: N          exploration budget: `racecheck run --schedules N --seed 0` (seeds 0..N-1,
                        findings merged) must reach the verdict (default 4: seeds 0..3 cover a plain
                        random schedule, spurious wake-ups on odd seeds and a lock-step seed, 3, so
                        every `none` testcase is also checked under those). `SEEDS: N` is the older
                        name of the same header and still accepted.
  LANG: c++             compile as C++ even if the extension says otherwise
  STD: c++20            language standard flag to add (-std=c++20)
  VARIABLE: name        a global the report must name (e.g. `stats.errors_seen`, `readings[3]`)
  OPTIONS: a=1:b=2      runtime options for every run (RACECHECK_OPTIONS), e.g. `max_steps=20000`
  ALLOW: data-race      finding kinds that are neither the verdict nor false positives (a comma
                        list): the data races of a program whose expected crash is their consequence
  NEEDED: pct:3<=N random<=M
                        per strategy, the schedules the verdict may need: `racecheck run --schedules N
                        --strategy pct:3 --stop-on-first --fail-on KIND` (and so on) must reach it
A source line ending in `// SITE` is a racy access line the report must name (for EXPECT
lock-order-cycle: a lock acquisition line of the cycle).

Verdict rules (one testcase at one optimisation level, the merged findings of its N schedules):
  * the verdict is `race` exactly when there is at least one data-race finding;
  * EXPECT race: every SITE line is named by some finding (as an access's location or anywhere in an
    access's stack, matched by file basename + line), and every data-race finding names at least one
    SITE line in one of its accesses (otherwise it is a false positive);
  * EXPECT none: any finding is a false positive;
  * a finding of any other kind (deadlock, hang, crash...) is a false positive in both cases;
  * EXPECT lock-order-cycle (a potential deadlock): verdict `lock-order-cycle` exactly when there is
    a lock-order-cycle or a deadlock finding (a run that really deadlocked is the confirmed form of
    the cycle); every SITE line is named by such a finding (a cycle step's held or wanted lock
    acquisition, or a deadlock waiter), every lock-order-cycle finding names a SITE line, and any
    other finding (a data race, a hang...) is a false positive. Under EXPECT race or none a
    lock-order-cycle finding is a false positive like any other non-race finding.
  * EXPECT deadlock (a run that really deadlocks, in at least one of the schedules): verdict `deadlock`
    exactly when there is a deadlock finding; every SITE line (the blocking lock requests) is named
    by a deadlock's waiters; a lock-order-cycle finding (the potential form of the same bug, from
    the schedules that did not deadlock) must name a SITE line; a `misuse` finding of case
    `exit-holding` (a thread ended holding the lock the others then wait for forever: the cause of
    the deadlock, reported with it) is not a false positive; any other finding is one.
  * EXPECT crash / EXPECT hang (a program failure: fatal signal, failed assert, uncaught exception;
    or a run exceeding the step budget, in at least one of the schedules): verdict `crash`/`hang`
    exactly when there is a finding of that kind (and no data race); every SITE line is named by
    such a finding's thread entries (their position or stack); any other finding is a false
    positive.
  * EXPECT livelock / EXPECT starvation (liveness findings under the fair strategy): judged like
    crash and hang — verdict `livelock`/`starvation` exactly when there is a finding of that kind
    (and no data race); every SITE line (the operations of the repeating cycle, resp. where the
    starving thread waits and where the others acquire the resource) is named somewhere in such a
    finding (its thread entries, positions and stacks, at any depth, except the locks merely held
    and the threads' creation sites); any other finding (a `hang` included) is a false positive.
  * EXPECT failure / EXPECT output-mismatch (exploration's comparisons with the reference schedule:
    an exit status that differs — the program's own self-check failed — or, explored with
    --check-output, stdout that differs): judged like crash; such findings have no positions, so
    these testcases have no SITE lines, and their replay check is that the finding's schedule
    replays to the exit status the finding names and to the kept stdout. Under EXPECT race a
    `failure`/`output-mismatch` is what the race on the printed or checked values does, not a
    false positive; under any other verdict it is one.
  * EXPECT misuse (a call the threads API forbids: unlock of a lock not held, destroy in use...):
    verdict `misuse` exactly when there is a misuse finding (and no data race); every SITE line (the
    offending calls) is named by a misuse finding's thread entries (position or stack), every
    misuse finding names a SITE line (else it is a false positive), and any other finding is a
    false positive. Under any other EXPECT a misuse finding is a false positive.
"""

import json
import os
import re

HEADER_RE = re.compile(r"^//\s*([A-Z]+):\s*(.*?)\s*$")
# Code, then a `// SITE` comment closing the line. A header or comment-only line never matches.
SITE_RE = re.compile(r"^\s*[^/\s].*//\s*SITE\s*$")

VERDICTS = ("race", "none", "lock-order-cycle", "deadlock", "crash", "hang", "livelock", "starvation",
            "failure", "output-mismatch",
            "misuse")
# Verdicts that are one finding kind of the same name, judged by evaluate_failure.
FAILURE_KINDS = ("crash", "hang", "livelock", "starvation", "failure", "output-mismatch")
# Kinds exploration derives by comparing a schedule with the reference schedule (an exit status,
# or stdout under --check-output): positionless, and a replay reproduces the exit status and output,
# not the comparison.
COMPARISON_KINDS = ("failure", "output-mismatch")
# Liveness kinds: their evidence (the repeating cycle; the bypasses) may sit in kind-specific
# objects besides `waiters`, so every position of the finding counts (see liveness_positions).
LIVENESS_KINDS = ("livelock", "starvation")
# Finding kinds that show a lock-order cycle: a potential deadlock, or a real one.
CYCLE_KINDS = ("lock-order-cycle", "deadlock")

DEFAULT_SCHEDULES = 4  # see the SCHEDULES header above
KNOWN_KEYS = {"EXPECT", "DESCRIPTION", "SCHEDULES", "SEEDS", "LANG", "STD", "VARIABLE", "OPTIONS",
              "ALLOW", "NEEDED"}
NEEDED_RE = re.compile(r"^([a-z][a-z0-9:-]*)<=([1-9][0-9]*)$")

# Which finding kinds are the testcase's own finding, per verdict: those the replay checks replay.
EXPECTED_KINDS = {
    "race": ("data-race",),
    "lock-order-cycle": CYCLE_KINDS,
    "deadlock": ("deadlock",),
    "crash": ("crash",),
    "hang": ("hang",),
    "livelock": ("livelock",),
    "starvation": ("starvation",),
    "failure": ("failure",),
    "output-mismatch": ("output-mismatch",),
    "misuse": ("misuse",),
    "none": (),
}


class TestcaseError(Exception):
    """A malformed testcase file."""


class Testcase:
    def __init__(self, path, expect, description, seeds, language, std, variable, site_lines,
                 options=None, allow=(), needed=()):
        self.path = path
        self.allow = tuple(allow)         # finding kinds neither expected nor false positives
        self.needed = tuple(needed)       # (strategy, schedules) pairs of the NEEDED header
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.basename = os.path.basename(path)
        self.expect = expect              # one of VERDICTS
        self.description = description
        self.schedules = seeds            # explore seeds 0..schedules-1 (SCHEDULES, or SEEDS)
        self.seeds = seeds                # the same number, under its older name
        self.language = language          # "c" or "c++"
        self.std = std                    # e.g. "c++20" or None
        self.variable = variable          # e.g. "stats.errors_seen" or None
        self.site_lines = site_lines      # sorted list of 1-based line numbers
        self.options = options            # RACECHECK_OPTIONS text, e.g. "max_steps=20000", or None

    def compile_flags(self):
        return ["-std=" + self.std] if self.std else []


def parse_testcase(path):
    with open(path, encoding="utf-8") as source:
        lines = source.read().splitlines()
    header = {}
    for line in lines:
        match = HEADER_RE.match(line)
        if not match:
            break
        key, value = match.groups()
        if key not in KNOWN_KEYS:
            raise TestcaseError(f"{path}: unknown header key '{key}' (known: {', '.join(sorted(KNOWN_KEYS))})")
        header[key] = value
    expect = header.get("EXPECT")
    if expect not in VERDICTS:
        raise TestcaseError(f"{path}: the first lines must contain '// EXPECT: V' with V one of "
                            + ", ".join(VERDICTS))
    if not header.get("DESCRIPTION"):
        raise TestcaseError(f"{path}: missing '// DESCRIPTION: ...' header line")
    if "SCHEDULES" in header and "SEEDS" in header:
        raise TestcaseError(f"{path}: give SCHEDULES or its older name SEEDS, not both")
    budget_key = "SEEDS" if "SEEDS" in header else "SCHEDULES"
    try:
        seeds = int(header.get(budget_key, str(DEFAULT_SCHEDULES)))
    except ValueError:
        raise TestcaseError(f"{path}: {budget_key} must be a positive integer, got '{header[budget_key]}'")
    if seeds < 1:
        raise TestcaseError(f"{path}: {budget_key} must be a positive integer, got {seeds}")
    language = header.get("LANG", "c++" if path.endswith((".cpp", ".cc", ".cxx")) else "c")
    if language not in ("c", "c++"):
        raise TestcaseError(f"{path}: LANG must be c or c++, got '{language}'")
    site_lines = [number for number, line in enumerate(lines, 1) if SITE_RE.match(line)]
    # Comparison findings have no positions to name a SITE line.
    positionless = ("none",) + COMPARISON_KINDS
    if expect not in positionless and not site_lines:
        raise TestcaseError(f"{path}: EXPECT {expect} but no line is marked '// SITE'")
    if expect in positionless and site_lines:
        raise TestcaseError(f"{path}: EXPECT {expect} but lines {site_lines} are marked '// SITE'")
    options = header.get("OPTIONS")
    if options is not None and (not options or re.search(r"[^A-Za-z0-9_=:./-]", options)):
        raise TestcaseError(f"{path}: OPTIONS must be name=value pairs separated by ':', got '{options}'")
    allow = tuple(kind.strip() for kind in header.get("ALLOW", "").split(",") if kind.strip())
    if expect in allow:
        raise TestcaseError(f"{path}: ALLOW must not name the expected kind '{expect}'")
    needed = []
    for item in header.get("NEEDED", "").split():
        match = NEEDED_RE.match(item)
        if not match:
            raise TestcaseError(f"{path}: NEEDED wants STRATEGY<=N items, got '{item}'")
        needed.append((match.group(1), int(match.group(2))))
    if needed and expect == "none":
        raise TestcaseError(f"{path}: NEEDED has nothing to need under EXPECT none")
    return Testcase(path, expect, header["DESCRIPTION"], seeds, language, header.get("STD"),
                    header.get("VARIABLE"), site_lines, options, allow, needed)


def positions_in(value, skip_keys=("locks_held",)):
    """Every (file basename, line) in a JSON value: any object with "file" and "line" keys, at any
    depth (an access's location, its stack frames, inlined-at chains), except under skip_keys."""
    found = set()
    if isinstance(value, dict):
        file_name, line = value.get("file"), value.get("line")
        if isinstance(file_name, str) and isinstance(line, int):
            found.add((os.path.basename(file_name), line))
        for key, child in value.items():
            if key not in skip_keys:
                found |= positions_in(child, skip_keys)
    elif isinstance(value, list):
        for child in value:
            found |= positions_in(child, skip_keys)
    return found


def finding_positions(finding):
    """Positions named by a finding's accesses (locations and stacks, not the locks held)."""
    found = set()
    for access in finding.get("accesses", []):
        found |= positions_in(access)
    return found


def cycle_positions(finding):
    """Positions named by a lock-order-cycle finding (each step's held-lock acquisition and wanted
    lock request, with their stacks) or by a deadlock's waiters; not the other locks held."""
    found = set()
    for step in (finding.get("lock_order_cycle") or {}).get("hold_and_wait", []):
        found |= positions_in(step.get("holds", {}).get("acquired_at"))
        found |= positions_in(step.get("holds", {}).get("acquisition_stack", []))
        found |= positions_in(step.get("wants", {}).get("location"))
        found |= positions_in(step.get("wants", {}).get("stack", []))
    for waiter in finding.get("waiters", []):
        found |= positions_in(waiter)
    return found


def variable_names(finding):
    """The names under which a finding's variable is reported. The racecheck JSON gives "name" (the
    qualified name, e.g. `stats.errors_seen`), "variable" (the bare global) and "field"; a bare name
    plus field is joined as `name.field`, or `name[3]` for an array element."""
    variable = finding.get("variable") or {}
    field = variable.get("field") or ""
    names = set()
    for key in ("name", "variable"):
        base = variable.get(key)
        if not isinstance(base, str) or not base:
            continue
        names.add(base)
        if field and not base.endswith(field):
            names.add(base + field if field.startswith("[") else base + "." + field)
    return names


def describe_finding(finding):
    message = finding.get("message") or finding.get("kind", "?")
    lines = sorted(finding_positions(finding) | cycle_positions(finding))
    return f"{message} [positions: {', '.join(f'{f}:{l}' for f, l in lines) or 'none'}]"


class Evaluation:
    def __init__(self, expected):
        self.expected = expected
        self.got = "none"
        self.counts = {"TP": 0, "FP": 0, "FN": 0, "TN": 0}
        self.problems = []

    @property
    def passed(self):
        return not self.problems

    def outcome(self):
        """One word for tables: TP, TN, FP, FN, FP+FN, BAD (right verdict, wrong details) or ERROR
        (could not be judged: compile error, timeout, wrong exit status...)."""
        if self.got == "error":
            return "ERROR"
        if self.counts["FP"] and self.counts["FN"]:
            return "FP+FN"
        for key in ("FP", "FN"):
            if self.counts[key]:
                return key
        if self.problems:
            return "BAD"
        return "TP" if self.counts["TP"] else "TN"


def flag_unexpected(result, findings):
    """Each finding of a kind the testcase does not expect is a false positive."""
    for finding in findings:
        result.counts["FP"] = 1
        result.problems.append(f"unexpected {finding.get('kind', '?')} finding: {describe_finding(finding)}")


def flag_unnamed_sites(result, testcase, sites, named, what):
    """A SITE line no finding names is a false negative."""
    missing = sorted(line for (_, line) in sites - named)
    if missing:
        result.counts["FN"] = 1
        result.problems.append(f"SITE line(s) not named by any {what}: "
                               + ", ".join(f"{testcase.basename}:{line}" for line in missing))


def settle(result):
    """Neither a false positive nor a false negative: a true positive."""
    if not result.counts["FP"] and not result.counts["FN"]:
        result.counts["TP"] = 1
    return result


def differs_from_reference(finding):
    """A `failure` or `output-mismatch` finding of exploration's exit-status/output comparison
    (docs/report-format.md)."""
    return finding.get("kind") in COMPARISON_KINDS


def evaluate(testcase, findings, variable_match="exact"):
    """Judge the merged findings (JSON finding objects) of all schedules against the testcase.
    variable_match "exact" compares the VARIABLE header with the reported name[.field];
    "prefix" only requires the reported name to be a prefix (for tools without field names)."""
    findings = [f for f in findings if f.get("kind") not in getattr(testcase, "allow", ())]
    if testcase.expect == "lock-order-cycle":
        return evaluate_lock_order_cycle(testcase, findings)
    if testcase.expect == "deadlock":
        return evaluate_deadlock(testcase, findings)
    if testcase.expect in FAILURE_KINDS:
        return evaluate_failure(testcase, findings)
    if testcase.expect == "misuse":
        return evaluate_misuse(testcase, findings)
    result = Evaluation(testcase.expect)
    races = [f for f in findings if f.get("kind") == "data-race"]
    # A finding of exploration's race-directed phase 2 ("phase": 2) is what a reported race does
    # when it goes the other way (docs/schedule-format.md): a consequence of the race, not an FP.
    # Not a hang: a pause that never ends would be the tool's own doing, so it must fail loudly.
    # Likewise, output or an exit status that differs from the reference schedule's is what a race
    # on the printed values does (under EXPECT race only: a race-free testcase must print the same).
    others = [f for f in findings if f.get("kind") != "data-race"
              and (f.get("phase") != 2 or f.get("kind") == "hang")
              and not (testcase.expect == "race" and differs_from_reference(f))]
    result.got = "race" if races else "none"
    sites = {(testcase.basename, line) for line in testcase.site_lines}

    flag_unexpected(result, others)

    if testcase.expect == "none":
        for finding in races:
            result.counts["FP"] = 1
            result.problems.append(f"false positive: {describe_finding(finding)}")
        if not findings:
            result.counts["TN"] = 1
        return result

    if not races:
        result.counts["FN"] = 1
        result.problems.append("no data race reported (false negative)")
        return result
    named = set()
    for finding in races:
        positions = finding_positions(finding)
        named |= positions
        if not positions & sites:
            result.counts["FP"] = 1
            result.problems.append(f"data race naming no SITE line (false positive): {describe_finding(finding)}")
    flag_unnamed_sites(result, testcase, sites, named, "finding")
    if testcase.variable:
        reported = set()
        for finding in races:
            reported |= variable_names(finding)
        if variable_match == "exact":
            ok = testcase.variable in reported
        else:
            ok = any(name and testcase.variable.startswith(name) for name in reported)
        if not ok:
            result.problems.append(f"no finding names variable '{testcase.variable}' "
                                   f"(reported: {', '.join(sorted(reported)) or 'none'})")
    return settle(result)


def evaluate_lock_order_cycle(testcase, findings):
    """EXPECT lock-order-cycle: see the verdict rules at the top of this file."""
    result = Evaluation(testcase.expect)
    cycles = [f for f in findings if f.get("kind") in CYCLE_KINDS]
    others = [f for f in findings if f.get("kind") not in CYCLE_KINDS]
    races = [f for f in others if f.get("kind") == "data-race"]
    result.got = "race" if races else "lock-order-cycle" if cycles else "none"
    sites = {(testcase.basename, line) for line in testcase.site_lines}
    flag_unexpected(result, others)
    if not cycles:
        result.counts["FN"] = 1
        result.problems.append("no lock-order-cycle or deadlock reported (false negative)")
        return result
    named = set()
    for finding in cycles:
        positions = cycle_positions(finding)
        named |= positions
        if finding.get("kind") == "lock-order-cycle" and not positions & sites:
            result.counts["FP"] = 1
            result.problems.append(f"lock-order cycle naming no SITE line (false positive): "
                                   f"{describe_finding(finding)}")
    flag_unnamed_sites(result, testcase, sites, named, "lock-order-cycle/deadlock finding")
    return settle(result)


def evaluate_deadlock(testcase, findings):
    """EXPECT deadlock: see the verdict rules at the top of this file."""
    result = Evaluation(testcase.expect)
    deadlocks = [f for f in findings if f.get("kind") == "deadlock"]
    cycles = [f for f in findings if f.get("kind") == "lock-order-cycle"]
    others = [f for f in findings if f.get("kind") not in CYCLE_KINDS
              and not (f.get("kind") == "misuse" and f.get("misuse") == "exit-holding")]
    races = [f for f in others if f.get("kind") == "data-race"]
    result.got = ("race" if races else "deadlock" if deadlocks else
                  "lock-order-cycle" if cycles else "none")
    sites = {(testcase.basename, line) for line in testcase.site_lines}
    flag_unexpected(result, others)
    for finding in cycles:
        if not cycle_positions(finding) & sites:
            result.counts["FP"] = 1
            result.problems.append(f"lock-order cycle naming no SITE line (false positive): "
                                   f"{describe_finding(finding)}")
    if not deadlocks:
        result.counts["FN"] = 1
        result.problems.append("no deadlock reported in any schedule (false negative)")
        return result
    named = set()
    for finding in deadlocks:
        named |= cycle_positions(finding)
    flag_unnamed_sites(result, testcase, sites, named, "deadlock finding")
    return settle(result)


def waiter_positions(finding):
    """Positions named by a finding's thread entries (crash, hang, deadlock): each thread's position
    and stack, not the locks it holds."""
    found = set()
    for waiter in finding.get("waiters", []):
        found |= positions_in(waiter)
    return found


def liveness_positions(finding):
    """Positions named by a livelock or starvation finding: every position at any depth (thread
    entries, the cycle's operations, the bypassing acquisitions...) except the locks a thread
    merely holds and where the threads were created (that names no operation of the bug)."""
    return positions_in(finding, skip_keys=("locks_held", "threads"))


def evaluate_failure(testcase, findings):
    """EXPECT crash / hang / livelock / starvation: see the verdict rules at the top of this file."""
    kind = testcase.expect
    result = Evaluation(kind)
    failures = [f for f in findings if f.get("kind") == kind]
    others = [f for f in findings if f.get("kind") != kind]
    races = [f for f in others if f.get("kind") == "data-race"]
    result.got = "race" if races else kind if failures else (others[0].get("kind", "?") if others else "none")
    sites = {(testcase.basename, line) for line in testcase.site_lines}
    flag_unexpected(result, others)
    if not failures:
        result.counts["FN"] = 1
        result.problems.append(f"no {kind} reported in any schedule (false negative)")
        return result
    positions = liveness_positions if kind in LIVENESS_KINDS else waiter_positions
    named = set()
    for finding in failures:
        named |= positions(finding)
    flag_unnamed_sites(result, testcase, sites, named, f"{kind} finding")
    return settle(result)


def evaluate_misuse(testcase, findings):
    """EXPECT misuse: see the verdict rules at the top of this file."""
    result = evaluate_failure(testcase, findings)
    sites = {(testcase.basename, line) for line in testcase.site_lines}
    for finding in findings:
        if finding.get("kind") == "misuse" and not waiter_positions(finding) & sites:
            result.counts["FP"] = 1
            result.problems.append(f"misuse naming no SITE line (false positive): {describe_finding(finding)}")
    return settle(result)


def is_reference_comparison(finding):
    """A `failure` or `output-mismatch` that `run --schedules` derives by comparing a schedule's exit
    status or output with the reference schedule's: it has no positions, and replaying its schedule
    alone reports no finding, only the exit status and output (docs/report-format.md)."""
    return finding.get("kind") in COMPARISON_KINDS


def expected_findings(testcase, findings):
    """The findings of the kind the testcase is about (a race testcase's data races...), which
    the replay checks replay; a reference comparison only when it is the testcase's own kind (its
    replay is checked for the exit status and output, not a finding)."""
    kinds = EXPECTED_KINDS[testcase.expect]
    return [f for f in findings if f.get("kind") in kinds
            and (testcase.expect in COMPARISON_KINDS or not is_reference_comparison(f))]


def compared_exit_status(finding):
    """The exit status a `failure` finding names ("exit status 1 differs from ..."), or None."""
    match = re.match(r"exit status (-?[0-9]+) ", (finding.get("details") or [""])[0])
    return int(match.group(1)) if match else None


def schedules_needed(testcase, findings, first_seed=0):
    """How many schedules exploration needed: the smallest n such that the findings first seen
    in seeds first_seed..first_seed+n-1 (each merged finding's `first_seed`) already meet the
    verdict. A finding of the race-directed phase 2 (`"phase": 2`, docs/schedule-format.md) comes
    after all the testcase's phase-1 schedules, whatever its seed: when the verdict needs one,
    the answer is the whole budget plus phase 2. Returns (n, needs_phase_2), or (None, False)
    when there is nothing to find (EXPECT none) or the findings never meet the verdict."""
    if not findings or not evaluate(testcase, findings).passed:
        return None, False

    def position(finding):  # (phase - 1, schedules up to and including the finding's seed)
        phase = 1 if finding.get("phase") == 2 else 0
        return phase, finding.get("first_seed", first_seed) - first_seed + 1

    for phase, count in sorted({position(f) for f in findings}):
        if evaluate(testcase, [f for f in findings if position(f) <= (phase, count)]).passed:
            return (testcase.schedules, True) if phase else (count, False)
    return None, False


def result_record(testcase, opt, evaluation, schedules, needed=(None, False), findings=(), checks=None):
    """The one-line JSON the driver writes for summarize.py: the outcome, the exploration budget
    (`schedules`), how many schedules the verdict needed (`needed`: schedules_needed's pair),
    each merged finding's kind, phase, first seed
    and count, and the result of each replay/determinism/jobs check that ran."""
    return {
        "name": testcase.name,
        "opt": opt,
        "expected": testcase.expect,
        "got": evaluation.got,
        "outcome": evaluation.outcome(),
        "TP": evaluation.counts["TP"],
        "FP": evaluation.counts["FP"],
        "FN": evaluation.counts["FN"],
        "TN": evaluation.counts["TN"],
        "passed": evaluation.passed,
        "schedules": schedules,
        "schedules_needed": needed[0],
        "needs_phase_2": needed[1],
        "findings": [{"kind": f.get("kind"), "phase": f.get("phase", 1), "first_seed": f.get("first_seed"),
                      "seen_in": f.get("seen_in"), "fingerprint": f.get("fingerprint")}
                     for f in findings],
        "checks": dict(checks or {}),
        "problems": evaluation.problems,
    }


def write_result(results_dir, record):
    os.makedirs(results_dir, exist_ok=True)
    path = os.path.join(results_dir, f"{record['name']}.{record['opt']}.json")
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(record, sort_keys=True) + "\n")
    return path


def result_path(results_dir, name, opt):
    return os.path.join(results_dir, f"{name}.{opt}.json")


def list_testcases(directory):
    return sorted(os.path.join(directory, entry) for entry in os.listdir(directory)
                  if entry.endswith((".c", ".cpp")))
