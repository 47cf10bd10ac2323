#!/usr/bin/env python3
"""ci_recipes_test.py — the CI recipes of docs/ci.md, run locally from the document itself.

Every YAML block marked `<!-- ci-recipe: NAME -->` (github, gitlab, kubernetes) is parsed and the
shell of its shard and merge steps runs here exactly as written, with the CI system's variables
set the way it sets them (GitHub's matrix value, GitLab's 1-based CI_NODE_INDEX, Kubernetes'
JOB_COMPLETION_INDEX) and two overrides: PROGRAM (a racy testcase built with racecheck cc) and
SCHEDULES_PER_SHARD (4). Two shards and the merge run per recipe; the merge must exit 66 and
its JSON list the same findings (fingerprints, counts, first seeds) as one `racecheck run` of the
two shards' whole seed range. A racecheck without `merge --sarif` runs the merge without it (the
SARIF step is then checked once that writer exists: valid JSON, version 2.1.0, one result per
finding).

Usage: ci_recipes_test.py RACECHECK DOCS_CI_MD TESTCASE   Exit status 0 on success, 1 on failure.
"""

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

from tool_test_support import check, failures

SCHEDULES = 4


def recipes(doc_path):
    """{name: [yaml documents]} of the marked blocks."""
    text = open(doc_path).read()
    found = {}
    for match in re.finditer(r"<!-- ci-recipe: (\S+) -->\s*```yaml\n(.*?)```", text, re.S):
        found[match.group(1)] = list(yaml.safe_load_all(match.group(2)))
    return found


class Runner:
    def __init__(self, racecheck, program, workdir):
        self.racecheck, self.program, self.workdir = racecheck, program, workdir
        help_text = subprocess.run([racecheck, "merge", "--help"], capture_output=True,
                                   text=True).stdout
        self.has_sarif = "--sarif" in help_text

    def env(self, variables):
        env = dict(os.environ)
        env.update({k: str(v) for k, v in variables.items()})
        for key, value in (("PROGRAM", self.program), ("SCHEDULES_PER_SHARD", SCHEDULES)):
            check(key in variables, f"the recipe sets {key}")
            env[key] = str(value)
        env["PATH"] = os.path.dirname(self.racecheck) + os.pathsep + env.get("PATH", "")
        return env

    def shell(self, label, script, env, shell, cwd):
        if not self.has_sarif:
            script = re.sub(r"\s--sarif\s+\S+", "", script)
        check("${{" not in script, f"{label}: no unresolved CI expression in {script!r}")
        result = subprocess.run([*shell, script], cwd=cwd, env=env, capture_output=True,
                                text=True, timeout=600, stdin=subprocess.DEVNULL)
        return result


def github_expr(value, matrix):
    return re.sub(r"\$\{\{\s*matrix\.(\w+)\s*\}\}", lambda m: str(matrix[m.group(1)]), str(value))


def step(job, step_id):
    return next(s for s in job["steps"] if s.get("id") == step_id)


def run_github(runner, docs, cwd):
    workflow = docs[0]
    bash = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]
    explore = workflow["jobs"]["explore"]
    shards = explore["strategy"]["matrix"]["shard"][:2]
    for shard in shards:
        matrix = {"shard": shard}
        s = step(explore, "shard")
        variables = dict(workflow.get("env", {}), **explore.get("env", {}))
        variables.update({k: github_expr(v, matrix) for k, v in s.get("env", {}).items()})
        result = runner.shell(f"github shard {shard}", s["run"], runner.env(variables), bash, cwd)
        check(result.returncode == 0, f"github shard {shard} exits 0 ({result.stderr[-2000:]})")
    merge = workflow["jobs"]["merge"]
    check(merge["needs"] == "explore", "github: merge needs the shards")
    return runner.shell("github merge", step(merge, "merge")["run"],
                        runner.env(workflow.get("env", {})), bash, cwd)


def run_gitlab(runner, docs, cwd):
    pipeline = docs[0]
    shard_job, merge_job = pipeline["racecheck-shard"], pipeline["racecheck-merge"]
    variables = pipeline.get("variables", {})
    total = 2
    for index in range(1, total + 1):
        env = runner.env(dict(variables, CI_NODE_INDEX=index, CI_NODE_TOTAL=total))
        result = runner.shell(f"gitlab shard {index}", "\n".join(shard_job["script"]), env,
                              ["bash", "-e", "-c"], cwd)
        check(result.returncode == 0, f"gitlab shard {index} exits 0 ({result.stderr[-2000:]})")
    check(merge_job["needs"] == ["racecheck-shard"], "gitlab: merge needs the shards")
    return runner.shell("gitlab merge", "\n".join(merge_job["script"]), runner.env(variables),
                        ["bash", "-e", "-c"], cwd)


def container(job):
    return job["spec"]["template"]["spec"]["containers"][0]


def run_kubernetes(runner, docs, cwd):
    shards = next(d for d in docs if d["metadata"]["name"] == "racecheck-shards")
    merge = next(d for d in docs if d["metadata"]["name"] == "racecheck-merge")
    check(shards["spec"]["completionMode"] == "Indexed", "kubernetes: an Indexed Job")
    for job in (shards, merge):
        c = container(job)
        check(c["command"] == ["/bin/sh", "-c"], "kubernetes: the container runs /bin/sh -c")
        check(c["volumeMounts"][0]["mountPath"] == "/results", "kubernetes: results on /results")
    shard_env = {e["name"]: e["value"] for e in container(shards)["env"]}
    for index in range(2):
        env = runner.env(dict(shard_env, JOB_COMPLETION_INDEX=index))
        env["RESULTS"] = cwd
        result = runner.shell(f"kubernetes shard {index}", container(shards)["args"][0], env,
                              ["/bin/sh", "-c"], cwd)
        check(result.returncode == 0,
              f"kubernetes shard {index} exits 0 ({result.stderr[-2000:]})")
    merge_env = {e["name"]: e["value"] for e in container(merge)["env"]}
    check("RESULTS" in merge_env, "kubernetes: the merge reads the shards' RESULTS volume")
    env = dict(os.environ, **dict(merge_env, RESULTS=cwd))
    env["PATH"] = os.path.dirname(runner.racecheck) + os.pathsep + env["PATH"]
    return runner.shell("kubernetes merge", container(merge)["args"][0], env, ["/bin/sh", "-c"],
                        cwd)


def summary(report):
    return sorted((f["fingerprint"], f["kind"], f.get("count"), f.get("first_seed"))
                  for f in report["findings"])


def check_merge(name, runner, result, cwd, whole):
    check(result.returncode == 66,
          f"{name}: the merge exits 66 on findings (got {result.returncode}: "
          f"{result.stderr[-2000:]})")
    check("data race" in result.stdout + result.stderr, f"{name}: the merge prints the race")
    check(sorted(os.path.basename(p) for p in glob.glob(os.path.join(cwd, "shard-*.json")))
          == ["shard-0.json", "shard-1.json"], f"{name}: two shard reports")
    check(all(os.path.isdir(os.path.join(cwd, f"racecheck-out-{i}")) for i in range(2)),
          f"{name}: each shard kept its schedules")
    merged_path = os.path.join(cwd, "merged.json")
    if not check(os.path.exists(merged_path), f"{name}: merged.json written"):
        return
    merged = json.load(open(merged_path))
    check(summary(merged) == summary(whole),
          f"{name}: merged findings {summary(merged)} == one run of the whole range "
          f"{summary(whole)}")
    if runner.has_sarif:
        sarif_path = os.path.join(cwd, "racecheck.sarif")
        if check(os.path.exists(sarif_path), f"{name}: racecheck.sarif written"):
            sarif = json.load(open(sarif_path))
            results = [r for run in sarif["runs"] for r in run.get("results", [])]
            check(sarif.get("version") == "2.1.0" and len(results) == len(merged["findings"]),
                  f"{name}: SARIF 2.1.0 with one result per finding")


def main():
    racecheck, doc, testcase = (os.path.abspath(a) for a in sys.argv[1:4])
    found = recipes(doc)
    check(sorted(found) == ["github", "gitlab", "kubernetes"],
          f"docs/ci.md has the three recipes (found {sorted(found)})")
    tmp = tempfile.mkdtemp(prefix="racecheck-ci-")
    try:
        program = os.path.join(tmp, "prog")
        built = subprocess.run([racecheck, "cc", "-g", "-O1", testcase, "-o", program],
                               capture_output=True, text=True)
        if built.returncode != 0:
            raise SystemExit("FAIL: cannot build the testcase: " + built.stderr)
        runner = Runner(racecheck, program, tmp)
        if not runner.has_sarif:
            print("note: this racecheck has no `merge --sarif`; the recipes run without it")
        whole_dir = os.path.join(tmp, "whole")
        os.mkdir(whole_dir)
        subprocess.run([racecheck, "run", "--seed-range", f"0:{2 * SCHEDULES - 1}", "--json",
                        "whole.json", "--", program], cwd=whole_dir, capture_output=True)
        whole = json.load(open(os.path.join(whole_dir, "whole.json")))
        check(len(whole["findings"]) > 0, "the whole range has findings")
        for name, run_recipe in (("github", run_github), ("gitlab", run_gitlab),
                                 ("kubernetes", run_kubernetes)):
            if name not in found:
                continue
            cwd = os.path.join(tmp, name)
            os.mkdir(cwd)
            result = run_recipe(runner, found[name], cwd)
            check_merge(name, runner, result, cwd, whole)
    finally:
        if not failures:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept " + tmp)
    print(f"ci_recipes_test: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
