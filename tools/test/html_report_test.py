#!/usr/bin/env python3
"""html_report_test.py — the HTML report in headless Chromium (ctest `tools.html_report`): the
demo's race (`run --html`) and a three-thread deadlock (`replay --html` of a schedule an
exploration found) are loaded with `chromium --headless --dump-dom` and asserted on through the
DOM: one lane per thread of the run, the highlighted events exactly the finding's locations, each
linked to a source snippet marking its line, the lock-order cycle drawn as SVG with an arrow per
edge. A program path with markup in it must come out as text; a source removed after the run
must be named as missing; the page loads nothing from anywhere. A screenshot is taken and must be
a PNG. Exits 77 (skipped) when chromium is not installed.
usage: html_report_test.py RACECHECK BANK.c DEADLOCK.c CLEAN.c
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import html_dom
from tool_test_support import check, failures

racecheck, bank, deadlock, clean_source = sys.argv[1:5]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("SKIP: chromium is not installed (Debian: apt-get install chromium; "
          "tools/bootstrap.sh installs it)")
    sys.exit(77)
tmp = tempfile.mkdtemp(prefix="racecheck-html-")
# Markup and quotes in a directory name: it reaches the page through the program and
# source paths, and must stay text.
src = os.path.join(tmp, "src<i>&\"q'")
os.mkdir(src)


def chromium_args(*extra):
    return html_dom.chromium_args(chromium, tmp, *extra)


def load(page):
    dom, r = html_dom.load_dom(chromium, tmp, page)
    check(r.returncode == 0, "chromium --dump-dom failed: " + r.stderr[-2000:])
    return dom


def build(source):
    copy = os.path.join(src, os.path.basename(source))
    shutil.copy(source, copy)
    program = os.path.join(src, os.path.splitext(os.path.basename(source))[0])
    r = subprocess.run([racecheck, "cc", "-g", "-O0", copy, "-o", program], capture_output=True,
                       text=True, timeout=300)
    if r.returncode != 0:
        raise SystemExit("racecheck cc failed: " + r.stderr)
    return program, copy


def position(location):
    return "%s:%d" % (os.path.basename(location["file"]), location["line"])


def check_page(name, page, finding, threads):
    """The assertions every page makes; returns the DOM."""
    with open(page, encoding="utf-8") as f:
        html = f.read()
    for outside in ("<script", "<link", "@import", "https://", "src=", "url(http"):
        check(outside not in html, "%s: the page must load nothing (%r)" % (name, outside))
    dom = load(page)
    check(not dom.having("i"), "%s: markup from a path became an element" % name)
    check("src<i>&\"q'" in "".join(dom.text), "%s: the path is shown as text" % name)
    lanes = [int(e["attrs"]["data-tid"]) for e in dom.having("tr", "lane")]
    # One timeline per finding, each with a lane per thread.
    per_timeline = len(lanes) // max(1, len(dom.having("section", "finding")))
    check(per_timeline == threads and sorted(set(lanes)) == list(range(threads)),
          "%s: lanes %s, want one per thread of %d" % (name, lanes, threads))
    section = finding_section_events(dom, finding)
    want = expected_events(finding)
    check(sorted(section) == sorted(want),
          "%s: highlighted events %s, the finding's locations %s" % (name, section, want))
    print("%s: lanes %s; highlighted %s; the finding's %s" % (name, lanes, section, want))
    ids = {e["attrs"].get("id") for e in dom.elements}
    anchors = [e["attrs"]["href"][1:] for e in dom.having("a") if
               e["attrs"].get("href", "").startswith("#f")]
    check(anchors and all(a in ids for a in anchors),
          "%s: every highlighted event links to its snippet (%s)" % (name, anchors))
    for loc in dom.having("div", "loc"):
        if loc["attrs"]["id"] not in anchors:
            continue
        line = loc["attrs"]["data-loc"].rsplit(":", 1)[1]
        marks = [e for e in dom.elements if e["tag"] == "mark"]
        check(any(m["text"].lstrip().startswith(line + " ") for m in marks),
              "%s: a snippet marks line %s" % (name, line))
    return dom


def finding_section_events(dom, finding):
    return [(int(td_tid), td["attrs"]["data-loc"].rsplit("/", 1)[-1]) for td_tid, td in
            highlighted(dom)]


def highlighted(dom):
    """(tid, cell) of each highlighted cell of the first finding's timeline."""
    out = []
    tid = None
    seen_lanes = set()
    for e in dom.elements:
        if e["tag"] == "section" and out:
            break
        if e["tag"] == "tr" and "lane" in (e["attrs"].get("class") or ""):
            tid = e["attrs"]["data-tid"]
            if tid in seen_lanes:
                break
            seen_lanes.add(tid)
        if e["tag"] == "td" and "hl" in (e["attrs"].get("class") or "").split():
            out.append((tid, e))
    return out


def expected_events(finding):
    def tid(name):
        return int(name[1:])
    if finding["kind"] == "data-race":
        return [(tid(a["thread"]), position(a["location"])) for a in finding["accesses"]]
    return [(tid(w["thread"]), position(w["location"])) for w in finding["waiters"]]


# The demo's race, from `run --html`, with a screenshot.
program, source = build(bank)
page = os.path.join(tmp, "bank.html")
report = os.path.join(tmp, "bank.json")
record = os.path.join(tmp, "bank.record")
r = subprocess.run([racecheck, "run", "--seed", "1", "--html", page, "--json", report, "--record",
                    record, "--out", os.path.join(tmp, "out"), "--", program],
                   capture_output=True, text=True, timeout=300, cwd=tmp, stdin=subprocess.DEVNULL)
check(r.returncode == 66, "run --html: exit %d: %s" % (r.returncode, r.stderr[-2000:]))
with open(report) as f:
    doc = json.load(f)
race = doc["findings"][0]
dom = check_page("race", page, race, 3)
check(len(dom.having("td", "ev")) > 2, "race: the schedule's switches are drawn")
shot = os.path.join(tmp, "bank.png")
r = subprocess.run(chromium_args("--screenshot=" + shot, "--window-size=1280,1100",
                                 "--hide-scrollbars", "file://" + page),
                   capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
if check(os.path.exists(shot), "screenshot: " + r.stderr[-2000:]):
    with open(shot, "rb") as f:
        data = f.read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20000,
          "screenshot: a PNG with content (%d bytes)" % len(data))
    if os.environ.get("RACECHECK_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["RACECHECK_KEEP_SCREENSHOT"])

# The source gone since the run: the page says so.
os.rename(source, source + ".moved")
page2 = os.path.join(tmp, "moved.html")
subprocess.run([racecheck, "report", "--html", page2, record], capture_output=True, timeout=120)
os.rename(source + ".moved", source)
with open(page2, encoding="utf-8") as f:
    check("source not available" in f.read(), "a missing source is named as missing")

# A deadlock over a three-lock cycle, from `replay --html` of an exploration's schedule.
program, _ = build(deadlock)
out = os.path.join(tmp, "dl-out")
report = os.path.join(tmp, "dl.json")
subprocess.run([racecheck, "run", "--schedules", "40", "--out", out, "--json", report, "--",
                program], capture_output=True, timeout=300, cwd=tmp, stdin=subprocess.DEVNULL)
with open(report) as f:
    schedule = next(f["schedule"] for f in json.load(f)["findings"] if f["kind"] == "deadlock")
page = os.path.join(tmp, "deadlock.html")
report = os.path.join(tmp, "replay.json")
r = subprocess.run([racecheck, "replay", "--html", page, "--json", report, schedule],
                   capture_output=True, text=True, timeout=300, cwd=tmp, stdin=subprocess.DEVNULL)
with open(report) as f:
    doc = json.load(f)
deadlock_finding = next(f for f in doc["findings"] if f["kind"] == "deadlock")
dom = check_page("deadlock", page, deadlock_finding, 4)
edges = dom.having("line", "edge")
check(len(edges) == 3 and len(dom.having("g", "lock")) == 3,
      "deadlock: the cycle graph has 3 locks and 3 edges (%d edges)" % len(edges))
check(sorted(e["attrs"]["data-tid"] for e in edges) == ["1", "2", "3"],
      "deadlock: one edge per philosopher thread")

# The correct twin: a run without findings says so, with the run's facts.
program, _ = build(clean_source)
page = os.path.join(tmp, "clean.html")
r = subprocess.run([racecheck, "run", "--html", page, "--", program], capture_output=True,
                   text=True, timeout=120, cwd=tmp, stdin=subprocess.DEVNULL)
check(r.returncode == 0, "clean run: exit %d: %s" % (r.returncode, r.stderr[-2000:]))
dom = load(page)
check([e for e in dom.elements if e["attrs"].get("id") == "no-findings"] and
      not dom.having("section", "finding"), "clean run: the page says there are no findings")

shutil.rmtree(tmp, ignore_errors=True)
if failures:
    sys.exit(1)
print("ok")
