#!/usr/bin/env python3
"""sarif_junit_test.py — `--sarif`, `--junit` and `--baseline` on real testcases.

For each TESTCASE (compiled with `racecheck cc|c++ -g -O1`), explored over a few schedules:
  * the SARIF log of `run`, `replay`, `report` and `merge` validates against the official SARIF
    2.1.0 JSON schema (jsonschema's Draft 4 validator; the schema is fetched into the cache by
    tools/fetch_sarif_schema.sh, never kept in the tree), is strict UTF-8, has one result per
    finding with the kind as rule id, the fingerprint as partialFingerprint, the replay command,
    relatedLocations and one threadFlow per thread in execution order; and its locations are
    the report's source lines: every file:line of a finding's WARNING line is a location of its
    result, resolved through --source-root's SRCROOT to the file the text report names.
  * the JUnit XML parses (xml.etree), has one test case per finding kind, failing exactly for
    the kinds found, with the text report.
  * `--baseline` of the run's own JSON or SARIF: exit status not 66 and the findings listed as
    known; an empty baseline: 66.
  * a source under a directory whose name is not UTF-8 gives a valid UTF-8 SARIF log with the
    byte percent-encoded in the URI.

Usage: sarif_junit_test.py RACECHECK TESTCASE...  Exit 0 on success, 1 on failure, 77 (skipped)
when the schema or jsonschema cannot be had.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

TIMEOUT = 300
SKIP = 77
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KINDS = ["data-race", "deadlock", "lock-order-cycle", "livelock", "starvation", "crash", "hang",
         "failure", "output-mismatch", "misuse"]


class CheckFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailure(message)


def run(command, cwd):
    return subprocess.run(command, capture_output=True, cwd=cwd, timeout=TIMEOUT,
                          stdin=subprocess.DEVNULL)


def schema_validator():
    """The Draft 4 validator of the SARIF 2.1.0 schema, or None after saying why."""
    try:
        import jsonschema
    except ImportError:
        print("SKIP: python3-jsonschema is not installed (tools/bootstrap.sh installs it)")
        return None
    path = os.environ.get("RACECHECK_SARIF_SCHEMA")
    if not path:
        fetched = subprocess.run(["bash", os.path.join(REPO, "tools", "fetch_sarif_schema.sh")],
                                 capture_output=True, text=True, timeout=180)
        if fetched.returncode != 0:
            print("SKIP: the SARIF 2.1.0 schema cannot be obtained: " + fetched.stderr.strip())
            return None
        path = fetched.stdout.strip()
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def load_sarif(path, validator):
    with open(path, "rb") as f:
        data = f.read()
    log = json.loads(data.decode("utf-8"))  # strict: raises on bytes that are not UTF-8
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    check(not errors, f"{path}: not valid SARIF 2.1.0:\n" +
          "\n".join(f"  {list(e.path)}: {e.message}" for e in errors[:10]))
    return log


def location_files_lines(run_obj, result):
    """Every (absolute path, line) of a result's locations, through originalUriBaseIds."""
    bases = {k: v["uri"] for k, v in run_obj.get("originalUriBaseIds", {}).items()}
    out = set()
    for loc in result.get("locations", []) + result.get("relatedLocations", []):
        phys = loc["physicalLocation"]
        art = phys["artifactLocation"]
        uri = art["uri"]
        if "uriBaseId" in art:
            uri = bases[art["uriBaseId"]] + uri
        path = urllib.parse.unquote_to_bytes(urllib.parse.urlparse(uri).path)
        out.add((os.path.normpath(os.fsdecode(path)), phys.get("region", {}).get("startLine", 0)))
    return out


def positions(text, cwd):
    """The file:line positions `text` names, as normalised absolute paths."""
    found = set()
    for file, line in re.findall(r"([^\s(),`']+\.(?:c|cpp|h|hpp)):(\d+)", text):
        found.add((os.path.normpath(os.path.join(cwd, file)), int(line)))
    return found


def report_positions(report_text, cwd):
    """The positions of a finding's WARNING line, and of its whole text block."""
    warnings = [l for l in report_text.splitlines() if l.startswith("WARNING: racecheck:")]
    check(warnings, f"not a report block: {report_text[:200]!r}")
    return positions(warnings[0], cwd), positions(report_text, cwd)


def check_sarif(log, report, cwd, label):
    check(log["version"] == "2.1.0" and len(log["runs"]) == 1, f"{label}: one 2.1.0 run")
    run_obj = log["runs"][0]
    rules = [r["id"] for r in run_obj["tool"]["driver"]["rules"]]
    check(rules == KINDS, f"{label}: rule ids {rules}")
    results = run_obj["results"]
    findings = report["findings"]
    check(len(results) == len(findings), f"{label}: {len(results)} results, {len(findings)} findings")
    for result, finding in zip(results, findings):
        check(result["ruleId"] == finding["kind"], f"{label}: ruleId {result['ruleId']}")
        check(rules[result["ruleIndex"]] == finding["kind"], f"{label}: ruleIndex")
        check(result["message"]["text"] == finding["message"], f"{label}: message")
        check(result["partialFingerprints"]["racecheckFingerprint/v1"] == finding["fingerprint"],
              f"{label}: fingerprint")
        if finding.get("schedule"):
            check(result["properties"]["replay"] == "racecheck replay " + finding["schedule"],
                  f"{label}: replay command {result.get('properties')}")
        where = location_files_lines(run_obj, result)
        # The SARIF locations are lines the text report shows, and the
        # positions of its WARNING line are among them.
        if "report_text" in finding:
            headline, shown = report_positions(finding["report_text"], cwd)
            check(where and where <= shown,
                  f"{label}: SARIF locations {sorted(where)} that the text report does not show "
                  f"({sorted(shown)})")
            check(headline <= where,
                  f"{label}: the WARNING line's positions {sorted(headline)} are not all SARIF "
                  f"locations {sorted(where)}")
        flows = result["codeFlows"][0]["threadFlows"]
        threads = [f["id"] for f in flows]
        check(len(threads) == len(set(threads)), f"{label}: one threadFlow per thread {threads}")
        order = sorted(l["executionOrder"] for f in flows for l in f["locations"])
        check(order == list(range(1, len(order) + 1)), f"{label}: execution order {order}")
        for f in flows:
            own = [l["executionOrder"] for l in f["locations"]]
            check(own == sorted(own), f"{label}: thread flow out of order {own}")
        if finding["kind"] == "data-race":
            check(len(result["relatedLocations"]) >= 2 and len(flows) == 2,
                  f"{label}: a race has both accesses in two thread flows")
        if "lock_order_cycle" in finding:
            steps = len(finding["lock_order_cycle"]["hold_and_wait"])
            check(len(result["relatedLocations"]) >= 2 * steps,
                  f"{label}: every cycle edge (hold and wait) is a related location")
    return run_obj


def check_junit(path, report, program, label):
    tree = ET.parse(path)  # well-formed, or raises
    root = tree.getroot()
    check(root.tag == "testsuites", f"{label}: root {root.tag}")
    cases = root.findall("./testsuite/testcase")
    check([c.get("name") for c in cases] == KINDS, f"{label}: test cases {[c.get('name') for c in cases]}")
    found = {f["kind"] for f in report["findings"]}
    for case in cases:
        check(case.get("classname") == "racecheck." + program, f"{label}: classname")
        failure = case.find("failure")
        check((failure is not None) == (case.get("name") in found),
              f"{label}: {case.get('name')} fails iff found")
        if failure is not None:
            check("WARNING: racecheck:" in failure.text, f"{label}: failure has the text report")
    check(root.get("failures") == str(len(found)), f"{label}: failures count")


def build(racecheck, source, workdir, name=None):
    name = name or os.path.splitext(os.path.basename(source))[0]
    binary = os.path.join(workdir, name)
    verb = "c++" if source.endswith(".cpp") else "cc"
    result = run([racecheck, verb, "-g", "-O1", "-pthread", source, "-o", binary], workdir)
    check(result.returncode == 0, f"compiling {source}: {result.stderr.decode(errors='replace')}")
    return binary


def check_testcase(racecheck, source, validator, work, other_baseline):
    label = os.path.basename(source)
    workdir = os.path.join(work, os.path.splitext(label)[0])
    os.makedirs(workdir)
    binary = build(racecheck, source, workdir)
    root = os.path.dirname(os.path.abspath(source))
    files = ["--sarif", "run.sarif", "--junit", "run.xml", "--source-root", root]
    result = run([racecheck, "run", "--schedules", "12", "--json", "run.json", *files, binary],
                 workdir)
    check(result.returncode == 66, f"{label}: run exit {result.returncode}: {result.stderr!r}")
    report = json.load(open(os.path.join(workdir, "run.json")))
    check(report["findings"], f"{label}: no findings")
    log = load_sarif(os.path.join(workdir, "run.sarif"), validator)
    run_obj = check_sarif(log, report, workdir, label + " run")
    check(run_obj["originalUriBaseIds"]["SRCROOT"]["uri"] == "file://" + os.path.normpath(root) + "/",
          f"{label}: SRCROOT {run_obj['originalUriBaseIds']}")
    art = run_obj["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    check(art == {"uri": os.path.basename(source), "uriBaseId": "SRCROOT"},
          f"{label}: the source relative to --source-root: {art}")
    check_junit(os.path.join(workdir, "run.xml"), report, os.path.basename(binary), label)

    # replay (a single run) and report (its record) write the same results.
    schedule = report["findings"][0]["schedule"]
    result = run([racecheck, "replay", schedule, "--json", "replay.json", "--sarif",
                  "replay.sarif", "--junit", "replay.xml", "--source-root", root], workdir)
    check(result.returncode == 66, f"{label}: replay exit {result.returncode}: {result.stderr!r}")
    replayed = json.load(open(os.path.join(workdir, "replay.json")))
    check_sarif(load_sarif(os.path.join(workdir, "replay.sarif"), validator), replayed, workdir,
                label + " replay")
    run([racecheck, "run", "--seed", str(report["findings"][0]["first_seed"]), "--keep-record",
         "--record", "one.record", binary], workdir)
    result = run([racecheck, "report", "one.record", "--sarif", "report.sarif", "--json",
                  "report.json"], workdir)
    check(result.returncode in (0, 66), f"{label}: report exit {result.returncode}")
    check_sarif(load_sarif(os.path.join(workdir, "report.sarif"), validator),
                json.load(open(os.path.join(workdir, "report.json"))), workdir, label + " report")

    # merge of two shards.
    for shard in ("0:5", "6:11"):
        run([racecheck, "run", "--seed-range", shard, "--ignore-output", "--json",
             f"shard{shard[0]}.json", binary], workdir)
    result = run([racecheck, "merge", "--json", "merged.json", "--sarif", "merged.sarif",
                  "shard0.json", "shard6.json"], workdir)
    check(result.returncode == 66, f"{label}: merge exit {result.returncode}: {result.stderr!r}")
    check_sarif(load_sarif(os.path.join(workdir, "merged.sarif"), validator),
                json.load(open(os.path.join(workdir, "merged.json"))), workdir, label + " merge")

    check_baseline(racecheck, binary, workdir, report, label, other_baseline)
    return len(report["findings"]), os.path.join(workdir, "run.json")


def check_baseline(racecheck, binary, workdir, report, label, other):
    """Its own findings as baseline: known, not failing; an empty baseline or another
    program's findings (`other`, a JSON report): the findings are new and fail."""
    kinds = ",".join(sorted({f["kind"] for f in report["findings"]}))
    with open(os.path.join(workdir, "empty.json"), "w") as f:
        json.dump({"findings": []}, f)
    cases = [("run.json", False), ("run.sarif", False), ("empty.json", True)]
    if other:
        cases.append((other, True))
    for baseline, fails in cases:
        result = run([racecheck, "run", "--schedules", "12", "--fail-on", kinds, "--baseline",
                      baseline, binary], workdir)
        stderr = result.stderr.decode(errors="replace")
        check((result.returncode == 66) == fails,
              f"{label}: --baseline {baseline}: exit {result.returncode}\n{stderr}")
        if not fails:
            for f in report["findings"]:
                check(f"known: {f['fingerprint']}" in stderr,
                      f"{label}: --baseline {baseline} does not list {f['fingerprint']} as known")
    result = run([racecheck, "merge", "--baseline", "run.json", "shard0.json", "shard6.json"],
                 workdir)
    check(result.returncode == 0, f"{label}: merge --baseline exit {result.returncode}")
    result = run([racecheck, "run", "--baseline", "missing.json", binary], workdir)
    check(result.returncode == 2, f"{label}: a missing baseline is an error")


def check_twin(racecheck, source, validator, work):
    """A correct program: exit 0, a valid log without results, every JUnit case passing."""
    label = os.path.basename(source)
    workdir = os.path.join(work, os.path.splitext(label)[0])
    os.makedirs(workdir)
    binary = build(racecheck, source, workdir)
    result = run([racecheck, "run", "--schedules", "12", "--json", "run.json", "--sarif",
                  "run.sarif", "--junit", "run.xml", binary], workdir)
    check(result.returncode == 0, f"{label}: exit {result.returncode}: {result.stderr!r}")
    report = json.load(open(os.path.join(workdir, "run.json")))
    log = load_sarif(os.path.join(workdir, "run.sarif"), validator)
    check(log["runs"][0]["results"] == [] and not report["findings"], f"{label}: results")
    check_junit(os.path.join(workdir, "run.xml"), report, os.path.basename(binary), label)


def check_non_utf8_path(racecheck, source, validator, work):
    """A source path with a Latin-1 byte: the log stays UTF-8, the URI keeps the byte."""
    directory = os.path.join(os.fsencode(work), b"caf\xe9")
    os.makedirs(directory)
    copy = os.path.join(directory, os.fsencode(os.path.basename(source)))
    shutil.copy(source, copy)
    workdir = os.fsdecode(directory)
    binary = build(racecheck, os.fsdecode(copy), workdir, "prog")
    run([racecheck, "run", "--schedules", "12", "--sarif", "out.sarif", "--json", "out.json",
         binary], workdir)
    log = load_sarif(os.path.join(workdir, "out.sarif"), validator)
    uris = json.dumps(log)
    check("%E9" in uris, "the non-UTF-8 byte is percent-encoded in the URI")
    check_sarif(log, json.load(open(os.path.join(workdir, "out.json"), encoding="utf-8",
                                    errors="replace")), workdir, "non-UTF-8 path")


def main():
    racecheck = sys.argv[1]
    sources = [s for s in sys.argv[2:] if not os.path.basename(s).startswith("none_")]
    twins = [s for s in sys.argv[2:] if os.path.basename(s).startswith("none_")]
    validator = schema_validator()
    if validator is None:
        return SKIP
    work = tempfile.mkdtemp(prefix="racecheck-sarif-")
    try:
        total, previous = 0, None
        for source in sources:
            found, previous = check_testcase(racecheck, source, validator, work, previous)
            total += found
        for source in twins:
            check_twin(racecheck, source, validator, work)
        check_non_utf8_path(racecheck, sources[0], validator, work)
    except CheckFailure as e:
        print(f"FAIL: {e}")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"ok: {len(sources)} testcases, {total} findings, {len(twins)} correct twins, SARIF "
          "valid and matching")
    return 0


if __name__ == "__main__":
    sys.exit(main())
