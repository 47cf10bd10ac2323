#!/usr/bin/env python3
"""hostile_replay_test.py — what a crafted schedule, a Latin-1 path or a planted symlink must
not achieve, with the real plugin and runtime.

  * A genuine schedule replays to the same finding; the same schedule rewritten to name
    /bin/sh -c 'touch MARKER' (with /bin/sh's own build id), or another racecheck-built
    program, is refused before anything runs: MARKER never appears, nothing is printed by
    the other program.
  * A program built in a directory whose name is Latin-1 (not UTF-8), run with --json and
    reported from its record with `report --json`, gives valid UTF-8 JSON whose *_bytes
    fields hold the exact bytes.
  * racecheck-out as a symlink, or a finding file inside it planted as a symlink: nothing in
    the link's target is deleted or overwritten.

Usage: hostile_replay_test.py RACECHECK RACE_TESTCASE OTHER_TESTCASE
"""

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

from tool_test_support import check, failures, run


def build_id(path):
    """The ELF NT_GNU_BUILD_ID of an ELF64 little-endian file, read independently of racecheck."""
    with open(os.path.realpath(path), "rb") as f:
        data = f.read()
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type != 4:  # PT_NOTE
            continue
        at, end = p_offset, p_offset + p_filesz
        while at + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", data, at)
            name_at = at + 12
            desc_at = name_at + ((namesz + 3) & ~3)
            if ntype == 3 and data[name_at:name_at + 4] == b"GNU\0":
                return "build-id:" + data[desc_at:desc_at + descsz].hex()
            at = desc_at + ((descsz + 3) & ~3)
    return None


def quoted(value):
    r"""A "quoted" schedule string (docs/schedule-format.md): \\, \" and \xHH."""
    out = b""
    for c in value:
        if c in b'\\"':
            out += b"\\" + bytes([c])
        elif c < 0x20 or c >= 0x7f:
            out += b"\\x%02x" % c
        else:
            out += bytes([c])
    return b'"' + out + b'"'


def rewrite_schedule(text, program, args, binary=None):
    lines = [line for line in text.split(b"\n") if not line.startswith(b"arg ")]
    out = []
    for line in lines:
        if line.startswith(b"program "):
            out.append(b"program " + quoted(program))
            out.extend(b"arg " + quoted(a) for a in args)
        elif line.startswith(b"binary ") and binary:
            out.append(b"binary " + binary.encode())
        else:
            out.append(line)
    return b"\n".join(out)


def with_decision(schedule, decision):
    """The schedule with one more decision line, first after the decisions comment."""
    out = []
    for line in schedule.split(b"\n"):
        if line.startswith(b"decisions "):
            line = b"decisions %d" % (int(line.split()[1]) + 1)
        out.append(line)
        if line.startswith(b"# step "):
            out.append(decision)
    return b"\n".join(out)


def check_replay(tool, workdir, program, other):
    schedule = os.path.join(workdir, b"racecheck-out", b"finding-1.schedule")
    with open(schedule, "rb") as f:
        genuine = f.read()
    r = run([tool, "replay", "--json", "replay.json", schedule], workdir)
    check(r.returncode == 66, "the genuine schedule replays to its finding: %r" % r.stderr[-400:])
    marker = os.path.join(workdir, b"MARKER")
    sh = os.path.realpath("/bin/sh").encode()
    crafted = {
        "sh, the schedule's identity": rewrite_schedule(genuine, sh, [b"sh", b"-c", b"touch MARKER"]),
        "another racecheck program": rewrite_schedule(genuine, other, [b"other"]),
    }
    sh_id = build_id(sh)
    if sh_id:
        crafted["sh with its own build id"] = rewrite_schedule(
            genuine, sh, [b"sh", b"-c", b"touch MARKER"], sh_id)
    # a terminal escape in a decision, which the runtime would quote when the replay diverges
    # (added: a schedule lists only the switches, and this run may have none)
    crafted["an escape in a decision"] = with_decision(genuine, b"1 T0 \x1b]0;pwned\x07mutex_lock -")
    for label, text in crafted.items():
        path = os.path.join(workdir, b"crafted.schedule")
        with open(path, "wb") as f:
            f.write(text)
        r = run([tool, "replay", path], workdir)
        check(r.returncode == 2, label + ": refused with status 2")
        check(b"replay runs only the executable" in r.stderr or
              b"was recorded for another binary" in r.stderr or
              b"byte \\x1b (a schedule file is printable ASCII" in r.stderr,
              label + ": says why: %r" % r.stderr)
        check(b"\x1b" not in r.stderr, label + ": no raw escape byte echoed")
        check(r.stdout == b"", label + ": nothing ran")
        check(not os.path.exists(marker), label + ": MARKER was created")


def check_json(tool, workdir, program):
    r = run([tool, "run", "--seed", "0", "--keep-record", "--record", "run.record", "--json",
             "run.json", "--", program], workdir)
    check(r.returncode == 66, "the Latin-1 program reports its race: %r" % r.stderr[-400:])
    report = run([tool, "report", "--json", "report.json", "run.record"], workdir)
    check(report.returncode == 66, "report --json of the record: %r" % report.stderr[-400:])
    for name in (b"run.json", b"report.json"):
        with open(os.path.join(workdir, name), "rb") as f:
            raw = f.read()
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            check(False, "%s is valid UTF-8 JSON: %s" % (name, e))
            continue
        exact = []

        def walk(value):
            if isinstance(value, dict):
                for key, member in value.items():
                    if key.endswith("_bytes"):
                        exact.append(bytes.fromhex(member))
                        check(key[:-6] in value and "\ufffd" in value[key[:-6]],
                              "%s: %s sits beside the replaced string" % (name, key))
                    walk(member)
            elif isinstance(value, list):
                for element in value:
                    walk(element)
        walk(document)
        check(any(b"caf\xe9" in e for e in exact), "%s keeps the Latin-1 bytes: %r" % (name, exact))
        check(document["findings"] and document["findings"][0]["kind"] == "data-race",
              "%s has the race" % name)


def check_symlinks(tool, workdir, program):
    victim = os.path.join(workdir, b"victim")
    os.makedirs(victim)
    precious = os.path.join(victim, b"finding-1.schedule")
    with open(precious, "wb") as f:
        f.write(b"precious\n")
    out = os.path.join(workdir, b"racecheck-out")
    shutil.rmtree(out, ignore_errors=True)
    os.symlink(victim, out)
    r = run([tool, "run", "--seed", "0", "--", program], workdir)
    check(b"is a symbolic link" in r.stderr, "a racecheck-out symlink is refused: %r" % r.stderr)
    with open(precious, "rb") as f:
        check(f.read() == b"precious\n", "the symlink's target file is untouched")
    os.unlink(out)
    os.makedirs(out)
    os.symlink(precious, os.path.join(out, b"finding-1.schedule"))
    r = run([tool, "run", "--seed", "0", "--", program], workdir)
    check(r.returncode == 66, "a real racecheck-out works: %r" % r.stderr[-300:])
    with open(precious, "rb") as f:
        check(f.read() == b"precious\n", "a planted finding-1.schedule link's target is untouched")
    written = os.path.join(out, b"finding-1.schedule")
    check(not os.path.islink(written) and os.path.isfile(written),
          "the finding file is a new regular file")
    # the record --keep-record has the runtime write there replaces a planted link
    planted = os.path.join(out, os.path.basename(program) + b".seed0.record")
    os.symlink(precious, planted)
    r = run([tool, "run", "--seed", "0", "--keep-record", "--", program], workdir)
    check(r.returncode == 66, "--keep-record works: %r" % r.stderr[-300:])
    with open(precious, "rb") as f:
        check(f.read() == b"precious\n", "a planted record link's target is untouched")
    check(not os.path.islink(planted) and os.path.isfile(planted), "the record is a new file")
    # --out naming a link to a directory is refused the same way
    link = os.path.join(workdir, b"out-link")
    os.symlink(victim, link)
    r = run([tool, "run", "--seed", "0", "--out", link, "--", program], workdir)
    check(b"is a symbolic link" in r.stderr, "--out LINK is refused")
    with open(precious, "rb") as f:
        check(f.read() == b"precious\n", "--out LINK leaves the target untouched")


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    tool, race_source, other_source = (os.path.abspath(p) for p in sys.argv[1:])
    top = tempfile.mkdtemp(prefix="racecheck-hostile-")
    # A directory whose name is Latin-1 "café": the record carries it as bytes.
    workdir = os.path.join(top.encode(), b"caf\xe9")
    os.makedirs(workdir)
    try:
        source = os.path.join(workdir, b"race.c")
        shutil.copy(race_source, source)
        program = os.path.join(workdir, b"prog\xe9")
        other = os.path.join(workdir, b"other")
        for src, out in ((source, program), (other_source.encode(), other)):
            b = run([tool, "cc", "-g", src, "-o", out], workdir)
            if b.returncode != 0:
                print(b.stderr.decode(errors="replace"))
                return 2
        check_json(tool, workdir, program)
        check_replay(tool, workdir, program, other)
        check_symlinks(tool, workdir, program)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
