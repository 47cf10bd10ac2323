#!/usr/bin/env python3
"""check_layout.py — the source tree's layout rules, checked over the whole checkout.

Each violation is printed as `path:line: rule: what`, and the exit status is 1 when there is any:
  file-size       a source file (.c .h .cpp .inc .py .sh .cmake, CMakeLists.txt) over 800 lines;
  function-size   a C/C++ function over 120 lines, as pmccabe counts them (5th column);
  runtime-src     an #include of a runtime/src header, or an include path into runtime/src,
                  outside runtime/: the runtime's internals are its own; what others need is in
                  runtime/include/racecheck/;
  instrument-abi  an include of any runtime header but racecheck/interface.h in instrument/: the
                  pass depends on the ABI only;
  layering        an include across a forbidden arrow of docs/architecture.md: the runtime never
                  includes the analyzer, explore, tools, the pass or a heavy C++ library (LLVM,
                  Boost, nlohmann-json, CLI11); the analyzer never explore, tools or the pass;
                  explore never tools or the pass; the pass never the analyzer, explore or tools;
  issue-citation  a comment citing a tracker issue ("issue N", "(issue N, part M)", "see #N"):
                  the reason belongs in the comment, the tracker's numbering does not.
The testcases' programs (testcases/**/*.c, *.cpp) are data, exempt from the size rules, as are
generated tables (a `@generated` marker in their first lines).

With --format it checks instead that the C and C++ sources of runtime/, instrument/, analyzer/,
explore/ and tools/ are as clang-format-19 leaves them (each folder's .clang-format); ctest
layout.format.

Registered in ctest as layout.check (the tree) and layout.self-test (`--self-test`: a synthetic tree
with one violation of each kind, and near misses that must pass, so the check itself can fail).
Run: python3 tools/check_layout.py [--root DIR]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 120
SOURCE_SUFFIXES = (".c", ".h", ".cpp", ".inc", ".py", ".sh", ".cmake")
C_SUFFIXES = (".c", ".h", ".cpp", ".inc")
# Folders whose comments must not cite tracker issues, and the files there that have comments.
CITATION_FOLDERS = ("runtime", "tools", "explore", "analyzer", "instrument", "testcases", "bench",
                    "docs")
CITATION_SUFFIXES = SOURCE_SUFFIXES + (".md", ".ll", ".txt")
ABI_HEADER = "racecheck/interface.h"
SKIPPED_DIRS = {".git", "__pycache__"}

# What each part may never include (docs/architecture.md): folders of this tree, and, for the
# runtime that is linked into every program under test, the heavy libraries of the tools.
FORBIDDEN_FOLDERS = {
    "runtime": ("analyzer", "explore", "tools", "instrument"),
    "analyzer": ("explore", "tools", "instrument"),
    "explore": ("tools", "instrument"),
    "instrument": ("analyzer", "explore", "tools"),
}
FORBIDDEN_LIBRARIES = {"runtime": ("llvm/", "llvm-c/", "clang/", "boost/", "nlohmann/", "CLI/")}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
# "issue N", "issues N and M", "issue #N", "Issue N, part M" (N a number).
ISSUE_WORD = re.compile(r"\bissues?\s+#?\d+", re.IGNORECASE)
# "#N" as a reference: "(#N)", "see #N.", "fixes #N", "#N:" — but not a stack frame
# ("#N main a.c:3") or an LLVM attribute group ("#N = {", "#N {", "call @f() #N").
ISSUE_HASH = re.compile(r"(?:\(|\b(?:see|per|in|from|after|before|since|fixes|fixed|fix|closes|"
                        r"closed|resolves|resolved|by|of|and|tracker)\s+)#\d+\b"
                        r"|(?:^|(?<![)}\]])\s)#\d+(?=\)|[,.;]|:(?!:)|\s*$)", re.IGNORECASE)


class Tree:
    """The files of one checkout, by path relative to its root (forward slashes)."""

    def __init__(self, root):
        self.root = os.path.abspath(root)
        self.files = sorted(self._list())
        self.runtime_src = [f for f in self.files if f.startswith("runtime/src/")]

    def _list(self):
        # Tracked and new (not ignored) files when this is a git checkout: build trees stay out.
        try:
            listed = subprocess.run(["git", "-C", self.root, "ls-files", "-z", "--cached", "--others",
                                     "--exclude-standard"], capture_output=True, check=True)
            return [p for p in listed.stdout.decode().split("\0")
                    if p and os.path.isfile(os.path.join(self.root, p))]
        except (OSError, subprocess.CalledProcessError):
            pass
        found = []
        for directory, subdirs, names in os.walk(self.root):
            subdirs[:] = [d for d in subdirs if d not in SKIPPED_DIRS and not d.startswith("build")]
            for name in names:
                found.append(os.path.relpath(os.path.join(directory, name), self.root).replace(os.sep, "/"))
        return found

    def lines(self, path):
        with open(os.path.join(self.root, path), encoding="utf-8", errors="replace") as source:
            return source.read().splitlines()

    def exists(self, path):
        return os.path.isfile(os.path.join(self.root, path))


def top(path):
    return path.split("/", 1)[0]


def is_source(path):
    return path.endswith(SOURCE_SUFFIXES) or os.path.basename(path) == "CMakeLists.txt"


def is_testcase_program(path):
    return path.startswith("testcases/") and path.endswith((".c", ".cpp"))


def is_generated(tree, path):
    return any("@generated" in line for line in tree.lines(path)[:5])


def sized_sources(tree):
    """The files the size rules apply to."""
    return [p for p in tree.files
            if is_source(p) and not is_testcase_program(p) and not is_generated(tree, p)]


def check_file_sizes(tree, files):
    for path in files:
        count = len(tree.lines(path))
        if count > MAX_FILE_LINES:
            yield path, 1, "file-size", f"{count} lines (limit {MAX_FILE_LINES})"


PMCCABE_LINE = re.compile(r"^\d+\s+\d+\s+\d+\s+(\d+)\s+(\d+)\s+(.+)\((\d+)\):\s*(.*)$")


def check_function_sizes(tree, files):
    sources = [p for p in files if p.endswith(C_SUFFIXES)]
    if not sources:
        return
    if not shutil.which("pmccabe"):
        yield "-", 0, "function-size", "pmccabe is not installed (Debian package pmccabe)"
        return
    measured = subprocess.run(["pmccabe"] + sources, cwd=tree.root, capture_output=True, text=True)
    for line in measured.stdout.splitlines():
        match = PMCCABE_LINE.match(line)
        if not match:
            continue
        length, path, first, name = int(match[2]), match[3], int(match[4]), match[5]
        if length > MAX_FUNCTION_LINES:
            yield path, first, "function-size", f"{name} is {length} lines (limit {MAX_FUNCTION_LINES})"


def resolve_include(tree, path, name):
    """Where an include of `name` from `path` lands, as a tree path; None when outside the tree.
    Looks beside the includer, then in the include folders the build uses (runtime/include, the
    project root), then takes a runtime/src header of that name (the runtime's own -I runtime/src)."""
    beside = os.path.normpath(os.path.join(os.path.dirname(path), name)).replace(os.sep, "/")
    for candidate in (beside, "runtime/include/" + name, os.path.normpath(name).replace(os.sep, "/")):
        if not candidate.startswith("..") and tree.exists(candidate):
            return candidate
    for header in tree.runtime_src:
        if header.endswith("/" + name):
            return header
    return None


def includes(tree, path):
    for number, line in enumerate(tree.lines(path), 1):
        match = INCLUDE.match(line)
        if match:
            yield number, match[1] == '"', match[2]


def check_includes(tree):
    for path in tree.files:
        inside_runtime = top(path) == "runtime"
        if path.endswith(C_SUFFIXES) and not inside_runtime:
            for number, quoted, name in includes(tree, path):
                target = resolve_include(tree, path, name) if quoted or "/" in name else None
                if target and target.startswith("runtime/src/"):
                    yield path, number, "runtime-src", f"includes {target}, a runtime internal"
                elif top(path) == "instrument" and target and top(target) == "runtime" \
                        and target != "runtime/include/" + ABI_HEADER:
                    yield path, number, "instrument-abi", \
                        f"includes {target}; the pass may include only {ABI_HEADER}"
        if not inside_runtime and (path.endswith(".cmake") or os.path.basename(path) == "CMakeLists.txt"):
            for number, line in enumerate(tree.lines(path), 1):
                if re.search(r"runtime/src\b", line.split("#", 1)[0]):
                    yield path, number, "runtime-src", "refers to runtime/src (an include path into the runtime)"


def include_targets(tree, path, name):
    """The tree files an include of `name` from `path` may land in: the one resolve_include finds,
    else every file of that name (a bare name found through some target's include folders)."""
    target = resolve_include(tree, path, name)
    if target:
        return [target]
    return [f for f in tree.files if f == name or f.endswith("/" + name)]


def check_layering(tree):
    for path in tree.files:
        part = top(path)
        if part not in FORBIDDEN_FOLDERS or not path.endswith(C_SUFFIXES) or "/test" in path:
            continue
        for number, quoted, name in includes(tree, path):
            if not quoted:
                if name.startswith(FORBIDDEN_LIBRARIES.get(part, ())):
                    yield path, number, "layering", f"{part}/ includes <{name}>, a library of the tools"
                continue
            targets = include_targets(tree, path, name)
            if targets and all(top(t) in FORBIDDEN_FOLDERS[part] for t in targets):
                yield path, number, "layering", f"{part}/ includes {targets[0]}, which it must not depend on"


def comments(path, lines):
    """(line number, comment text) of each line with a comment; the whole line for prose."""
    if path.endswith((".md", ".txt")) and os.path.basename(path) != "CMakeLists.txt":
        yield from enumerate(lines, 1)
        return
    marker = "//" if path.endswith(C_SUFFIXES) else ";" if path.endswith(".ll") else "#"
    in_block = False
    for number, line in enumerate(lines, 1):
        text = ""
        if marker == "//":
            rest = line
            while rest:
                if in_block:
                    end = rest.find("*/")
                    text += rest if end < 0 else rest[:end]
                    rest, in_block = ("", True) if end < 0 else (rest[end + 2:], False)
                    continue
                line_comment, block = rest.find("//"), rest.find("/*")
                if line_comment >= 0 and (block < 0 or line_comment < block):
                    text += rest[line_comment:]
                    break
                if block < 0:
                    break
                rest, in_block = rest[block + 2:], True
        elif marker in line:
            text = line[line.index(marker):]
        if text:
            yield number, text


def check_issue_citations(tree):
    for path in tree.files:
        if top(path) not in CITATION_FOLDERS:
            continue
        if not (path.endswith(CITATION_SUFFIXES) or os.path.basename(path) == "CMakeLists.txt"):
            continue
        lines = tree.lines(path)
        cited = {}
        # The words are distinctive enough to look for anywhere (Python docstrings are comments
        # too); a bare "#N" only in comments, where it cannot be a preprocessor line or an IR
        # attribute group.
        for number, line in enumerate(lines, 1):
            match = ISSUE_WORD.search(line)
            if match:
                cited[number] = match[0]
        for number, text in comments(path, lines):
            match = ISSUE_HASH.search(text)
            if match and number not in cited:
                cited[number] = match[0].strip()
        for number in sorted(cited):
            yield path, number, "issue-citation", f"cites a tracker issue ({cited[number]!r}): say the reason instead"


def violations(root):
    tree = Tree(root)
    files = sized_sources(tree)
    found = []
    for check in (check_file_sizes(tree, files), check_function_sizes(tree, files),
                  check_includes(tree), check_layering(tree), check_issue_citations(tree)):
        found.extend(check)
    return found


FORMATTED_FOLDERS = ("runtime", "instrument", "analyzer", "explore", "tools")
CLANG_FORMAT = "clang-format-19"


def format_violations(root):
    """(path, line, rule, what) of each C/C++ source clang-format would change."""
    tree = Tree(root)
    sources = [p for p in tree.files
               if top(p) in FORMATTED_FOLDERS and p.endswith((".c", ".h", ".cpp"))
               and not p.startswith(("instrument/test/", "tools/demo/"))]  # programs whose lines are cited
    if not shutil.which(CLANG_FORMAT):
        return [("-", 0, "format", f"{CLANG_FORMAT} is not installed (Debian package {CLANG_FORMAT})")]
    found = []
    for path in sources:
        checked = subprocess.run([CLANG_FORMAT, "--dry-run", path], cwd=tree.root,
                                 capture_output=True, text=True)
        first = re.search(r":(\d+):\d+: warning", checked.stderr)
        if first:
            found.append((path, int(first[1]), "format",
                          f"not as {CLANG_FORMAT} formats it: run {CLANG_FORMAT} -i {path}"))
    return found


def report(found, out):
    for path, line, rule, what in found:
        out.write(f"{path}:{line}: {rule}: {what}\n")
    rules = sorted({rule for _, _, rule, _ in found})
    out.write(f"check_layout: {len(found)} violation(s)" + (f" ({', '.join(rules)})" if rules else "") + "\n")


# ---- self-test --------------------------------------------------------------------------------

def function_of(name, lines):
    """A C function that pmccabe measures as `lines` lines long."""
    body = "".join(f"  total += {i};\n" for i in range(lines - 4))
    return f"int {name}(void) {{\n  int total = 0;\n{body}  return total;\n}}\n"


ISSUE, HASH = "issue", "#"
SYNTHETIC_TREE = {
    # violations, with the (path, rule) each must be reported as
    "runtime/src/core/big.c": ("/* a big file */\n" + "int x;\n" * 800, "file-size"),
    "tools/long.cpp": ("// a long function\n" + function_of("too_long", 121), "function-size"),
    "tools/peek.cpp": ('// reaches into the runtime\n#include "core/rt.h"\n', "runtime-src"),
    "tools/CMakeLists.txt": ("add_library(x x.cpp)\n"
                             "target_include_directories(x PRIVATE ${PROJECT_SOURCE_DIR}/runtime/src)\n",
                             "runtime-src"),
    "instrument/Pass.cpp": ('// the pass\n#include "racecheck/interface.h"\n#include "racecheck/annotations.h"\n',
                            "instrument-abi"),
    # (the citations are spelled with {ISSUE} and {HASH} so that this file cites nothing itself)
    "analyzer/graph.cpp": (f"// lock graph ({ISSUE} 5, part 2)\nint g;\n", "issue-citation"),
    "docs/notes.md": (f"# notes\nThe hash is shared since {ISSUE} 12.\n", "issue-citation"),
    "bench/run.py": (f'"""bench"""\nx = 1  # slower before the fix, see {HASH}12.\n', "issue-citation"),
    "testcases/helper.sh": (f"# helper\n# workaround for {HASH}7\n", "issue-citation"),
    "runtime/src/core/cited.c": (f"/* the table\n * grew in {ISSUE}s 3 and 4 */\nint t;\n", "issue-citation"),
    "runtime/src/core/report.c": ('/* renders */\n#include <nlohmann/json.hpp>\n', "layering"),
    "analyzer/explain.cpp": ('// explains\n#include "exploration.h"\n', "layering"),
    "explore/engine.cpp": ('// the engine\n#include "verbs.h"\n', "layering"),
    "explore/exploration.h": ("// the engine's result\n", None),
    "tools/verbs.h": ("// the verbs\n", None),
    # near misses: none may be reported
    "tools/verb.cpp": ('// a verb over the engine\n#include "exploration.h"\n#include <CLI/CLI.hpp>\n', None),
    "runtime/src/core/rt.h": ("/* internal */\n#include \"core/other.h\"\n", None),
    "runtime/src/core/other.h": ("/* internal */\n", None),
    "runtime/include/racecheck/interface.h": ("/* the ABI */\n", None),
    "runtime/include/racecheck/annotations.h": ("/* annotations */\n", None),
    "runtime/CMakeLists.txt": ("include_directories(${CMAKE_CURRENT_SOURCE_DIR}/src)  # runtime/src\n", None),
    "tools/exactly.cpp": ("// at the limits\n" + function_of("just_fits", 120)
                         + "int y;\n" * (MAX_FILE_LINES - 121), None),
    "tools/own.cpp": ('// includes its own header\n#include "own.h"\n#include <stdio.h>\n', None),
    "tools/own.h": ("// its header\n", None),
    "testcases/huge_program.c": ("// EXPECT: none\n" + function_of("main", 900), None),
    "docs/report.md": ("# report\n    #0 main a.c:3:1\nframe #0 is the access; `#1` the caller\n"
                       "issued 3 times; the 12 issues\n", None),
    "instrument/test/attrs.c": ("// CHECK: define i32 @f() #0 {\n// CHECK: attributes #0 = { nounwind }\n", None),
    "other/notes.txt": (f"{ISSUE} 4 is outside the checked folders\n", None),
    "instrument/test/globals.ll": ("declare ptr @f(ptr) #1\n; CHECK: call void @g() #2\n", None),
    "tools/frames.py": ('"""frames"""\nFRAME = "#0 main a.c:1"  # the frame #1 is the caller\n', None),
}


def self_test():
    with tempfile.TemporaryDirectory() as root:
        for path, (text, _) in SYNTHETIC_TREE.items():
            os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(root, path), "w", encoding="utf-8") as out:
                out.write(text)
        found = violations(root)
    report(found, sys.stdout)
    expected = sorted((path, rule) for path, (_, rule) in SYNTHETIC_TREE.items() if rule)
    got = sorted((path, rule) for path, _, rule, _ in found)
    if got != expected:
        sys.stdout.write("self-test FAILED\n  missing: %s\n  unexpected: %s\n"
                         % (sorted(set(expected) - set(got)) or "-",
                            [g for g in got if g not in expected] or "-"))
        return 1
    sys.stdout.write(f"self-test passed: each of the {len(expected)} planted violations reported, "
                     "no near miss\n")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    parser.add_argument("--self-test", action="store_true", help="check the checker on a synthetic tree")
    parser.add_argument("--format", action="store_true",
                        help="check that the C/C++ sources are clang-formatted instead")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    found = format_violations(args.root) if args.format else violations(args.root)
    report(found, sys.stdout)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
