#!/usr/bin/env python3
"""html_exploration_test.py — the HTML report of an exploration and of merged shards, in headless
Chromium (ctest `tools.html_exploration`). race_and_deadlock.c's schedules show a race on `hits`,
a deadlock (a run of three threads), a lock-order cycle and a race on `late` (runs of four
threads). `run --schedules N --html` must draw every finding with the interleaving of its own
schedule: per finding section, one lane per thread of the run its schedule replays to (the
thread count taken from `racecheck replay --json` of that schedule), the highlighted events
exactly the finding's locations, and every scheduling decision drawn a decision of that
finding's schedule file. `merge --html` of two shards replays each finding's schedule for the
same page; a finding whose schedule file is gone, or whose program was rebuilt since, is shown as
its text report, saying why. The
correct twin's exploration says there are no findings. Exits 77 (skipped) without chromium.
usage: html_exploration_test.py RACECHECK RACE_AND_DEADLOCK.c CLEAN.c
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from html_dom import load_dom
from tool_test_support import build_program, check, failures

racecheck, program_source, clean_source = sys.argv[1:4]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("SKIP: chromium is not installed (Debian: apt-get install chromium; "
          "tools/bootstrap.sh installs it)")
    sys.exit(77)
tmp = tempfile.mkdtemp(prefix="racecheck-html-explore-")


def load(page):
    with open(page, encoding="utf-8") as f:
        html = f.read()
    for outside in ("<script", "<link", "@import", "https://", "src=", "url(http"):
        check(outside not in html, "%s: the page must load nothing (%r)" % (page, outside))
    dom, r = load_dom(chromium, tmp, page)
    check(r.returncode == 0, "chromium --dump-dom failed: " + r.stderr[-2000:])
    return dom


def racecheck_run(*args, cwd=tmp):
    return subprocess.run([racecheck, *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd, stdin=subprocess.DEVNULL)


def position(location):
    return "%s:%d" % (os.path.basename(location["file"]), location["line"])


def finding_locations(finding):
    """(thread number, file:line) of each event the page must highlight."""
    def tid(name):
        return int(name[1:])
    if finding["kind"] == "data-race":
        return [(tid(a["thread"]), position(a["location"])) for a in finding["accesses"]]
    if finding["kind"] == "lock-order-cycle":
        events = []
        for step in finding["lock_order_cycle"]["hold_and_wait"]:
            events.append((tid(step["thread"]), position(step["holds"]["acquired_at"])))
            events.append((tid(step["thread"]), position(step["wants"]["location"])))
        return events
    return [(tid(w["thread"]), position(w["location"])) for w in finding["waiters"]]


def schedule_decisions(path):
    """(step, thread) of every decision of a schedule file."""
    decisions, inside = set(), False
    with open(path) as f:
        for line in f:
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            if not inside:
                inside = fields[0] == "decisions"
                continue
            if fields[0] in ("switches", "end"):
                break
            decisions.add((int(fields[0]), int(fields[1][1:])))
    return decisions


def replayed_threads(schedule):
    """The thread count of the run `schedule` replays to, from `racecheck replay --json`."""
    report = os.path.join(tmp, "threads.json")
    racecheck_run("replay", "--json", report, schedule)
    with open(report) as f:
        return json.load(f)["stats"]["threads"]


def check_page(name, page, findings):
    """Every finding of the exploration's JSON drawn in its own section from its own schedule;
    returns how many lanes each section has."""
    dom = load(page)
    sections = dom.having("section", "finding")
    check(len(sections) == len(findings),
          "%s: %d finding sections for %d findings" % (name, len(sections), len(findings)))
    lane_counts = []
    for number, finding in enumerate(findings, 1):
        sid = "finding-%d" % number
        what = "%s: finding %d (%s)" % (name, number, finding["kind"])
        lanes = [int(e["attrs"]["data-tid"]) for e in dom.having("tr", "lane", sid)]
        threads = replayed_threads(finding["schedule"])
        check(lanes == list(range(threads)),
              "%s: lanes %s, want one per thread of its run (%d)" % (what, lanes, threads))
        lane_counts.append(len(lanes))
        cells, tid = [], None
        highlighted = []
        for e in dom.elements:
            if e["section"] != sid:
                continue
            if e["tag"] == "tr" and "lane" in (e["attrs"].get("class") or ""):
                tid = int(e["attrs"]["data-tid"])
            classes = (e["attrs"].get("class") or "").split()
            if e["tag"] == "td" and "ev" in classes:
                if "data-step" in e["attrs"]:
                    cells.append((int(e["attrs"]["data-step"]), tid))
                if "hl" in classes:
                    highlighted.append((tid, e["attrs"]["data-loc"].rsplit("/", 1)[-1]))
        want = finding_locations(finding)
        check(sorted(highlighted) == sorted(want),
              "%s: highlighted %s, its locations %s" % (what, highlighted, want))
        # The timeline's columns: the last 40 decisions of the finding's own schedule.
        decisions = sorted(schedule_decisions(finding["schedule"]))[-40:]
        check(cells and sorted(cells) == decisions,
              "%s: the decisions drawn are the last of its schedule %s: drawn %s, schedule %s" %
              (what, finding["schedule"], sorted(cells)[-5:], decisions[-5:]))
        print("%s: lanes %s, %d decisions of %s, highlighted %s" %
              (what, lanes, len(cells), os.path.basename(finding["schedule"]), highlighted))
    return dom, lane_counts


def build(source):
    return build_program(racecheck, source, tmp)


program = build(program_source)

# The exploration: findings kept with the records of their own runs.
page = os.path.join(tmp, "explore.html")
report = os.path.join(tmp, "explore.json")
r = racecheck_run("run", "--schedules", "30", "--html", page, "--json", report, "--out",
                  os.path.join(tmp, "out"), "--", program)
check(r.returncode == 66, "run --schedules --html: exit %d: %s" % (r.returncode, r.stderr[-2000:]))
with open(report) as f:
    findings = json.load(f)["findings"]
kinds = sorted(f["kind"] for f in findings)
check("deadlock" in kinds and kinds.count("data-race") >= 2,
      "the exploration shows a deadlock and both races: %s" % kinds)
dom, lanes = check_page("run --schedules", page, findings)
check(len(set(lanes)) > 1, "the findings' runs differ in threads, and so do their lanes: %s" % lanes)
schedules = {f["schedule"] for f in findings}
check(len(schedules) == len(findings), "each finding has its own schedule file")

# Two shards merged: the page replays each finding's schedule.
shards = []
for first, last in ((0, 14), (15, 29)):
    shard = os.path.join(tmp, "shard-%d.json" % first)
    # Unshrunk: each finding's schedule is the long one its seed ran.
    racecheck_run("run", "--seed-range", "%d:%d" % (first, last), "--no-shrink", "--json", shard,
                  "--out",
                  os.path.join(tmp, "shard-%d" % first), "--", program)
    shards.append(shard)
page = os.path.join(tmp, "merged.html")
merged = os.path.join(tmp, "merged.json")
r = racecheck_run("merge", "--html", page, "--json", merged, *shards)
check(r.returncode == 66, "merge --html: exit %d: %s" % (r.returncode, r.stderr[-2000:]))
with open(merged) as f:
    merged_findings = json.load(f)["findings"]
check(sorted(f["kind"] for f in merged_findings) == kinds,
      "the merge has the exploration's findings")
check_page("merge", page, merged_findings)

# A shard's schedule file that is not here: that finding is its text report, saying why; the
# others are still drawn.
gone = merged_findings[0]["schedule"]
os.rename(gone, gone + ".away")
page = os.path.join(tmp, "merged-gone.html")
r = racecheck_run("merge", "--html", page, *shards)
check(r.returncode == 66, "merge --html, a schedule gone: exit %d" % r.returncode)
dom = load(page)
missing = dom.having("p", "no-timeline", "finding-1")
check(missing and "cannot open" in missing[0]["text"] and gone in missing[0]["text"],
      "the finding without its schedule says why: %s" % [m["text"] for m in missing])
report_pre = dom.having("pre", "report", "finding-1")
check(report_pre and merged_findings[0]["message"].split(" (")[0] in report_pre[0]["text"],
      "the finding without its schedule shows its text report")
check(all(dom.having("tr", "lane", "finding-%d" % n) for n in range(2, len(merged_findings) + 1)),
      "the other findings are still drawn")
os.rename(gone + ".away", gone)

# The program rebuilt since the shards ran: no schedule replays it, and each finding says so.
r = subprocess.run([racecheck, "cc", "-g", "-O2", program_source, "-o", program],
                   capture_output=True, text=True, timeout=300)
page = os.path.join(tmp, "merged-rebuilt.html")
racecheck_run("merge", "--html", page, *shards)
dom = load(page)
notes = [e["text"] for e in dom.having("p", "no-timeline")]
check(len(notes) == len(merged_findings) and all("another binary" in n for n in notes) and
      not dom.having("tr", "lane"), "a rebuilt program: every finding names why: %s" % notes[:1])

# The correct twin: an exploration without findings says so.
clean = build(clean_source)
page = os.path.join(tmp, "clean.html")
r = racecheck_run("run", "--schedules", "20", "--html", page, "--", clean)
check(r.returncode == 0, "clean exploration: exit %d: %s" % (r.returncode, r.stderr[-2000:]))
dom = load(page)
check([e for e in dom.elements if e["attrs"].get("id") == "no-findings"] and
      not dom.having("section", "finding"), "clean exploration: the page says no findings")

shutil.rmtree(tmp, ignore_errors=True)
if failures:
    sys.exit(1)
print("ok")
