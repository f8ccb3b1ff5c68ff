#!/usr/bin/env python3
"""Triage of ckpt-fuzz artifacts (issue 19; docs/testing.md "libFuzzer target").

Reruns each crash-*/timeout-*/oom-* file with the fuzzer binary, reads the
sanitizer's or libFuzzer's stack and classifies it by its top frames:

  ours      the first frame whose source file is in ckpt's lib/ or
            include/ckpt/ (the fuzzer's own tools/ckpt-fuzz/ frames are
            "harness"); that frame is the key
  invalid   "ckpt-fuzz: IR invalid after pass 'P'" (a pass that succeeded
            left IR the verifier rejects): ours if P is a ckpt-* pass
  upstream  no ckpt frame: the key is the first frame (MLIR/LLVM), listed
            but not counted as ours

and prints one row per distinct key: kind, key, count, smallest artifact,
the error line. With --json, the table as JSON.

A crash inside the IR mutator leaves an empty crash file. With
--mutator-dumps DIR (the run's CKPT_FUZZ_MUTATOR_DUMP folder), each
process's last mutator input is replayed with its seed
(CKPT_FUZZ_REPLAY_MUTATOR) and the crashing ones are listed as kind
"mutator" (a defect of the harness or of the ckpt code it calls on
unverified IR; not counted as ours).

  test/fuzz/libfuzzer/triage.py --fuzzer build-fuzz/bin/ckpt-fuzz ARTIFACT_DIR
"""

import argparse
import json
import os
import re
import subprocess
import sys

FRAME = re.compile(r"^\s*#(\d+) 0x[0-9a-f]+ in (.+?)(?: (/\S+?)(?::(\d+))?(?::\d+)?)?"
                   r"(?: \(BuildId: [0-9a-f]+\))?$")
INVALID = re.compile(r"ckpt-fuzz: IR invalid after pass '([^']*)'")
STRICT = "ckpt-fuzz: ckpt-verify rejects the output of ckpt-rematerialize"
ERROR = re.compile(r"(ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer): [^\n]*"
                   r"|^ckpt-fuzz: (?:IR invalid|ckpt-verify rejects|bad pipeline)[^\n]*)",
                   re.M)


def classify(output, src_root):
    """(kind, key, error line) of one rerun's output."""
    err = ERROR.search(output)
    error = err.group(1).strip() if err else "no sanitizer or libFuzzer report"
    error = re.sub(r"0x[0-9a-f]+", "0x...", error)
    error = re.sub(r"==\d+==", "", error)
    m = INVALID.search(output)
    if m:
        kind = "ours" if m.group(1).startswith("ckpt-") else "upstream"
        return kind, "invalid IR after " + m.group(1), error
    if STRICT in output:
        return "ours", "ckpt-verify rejects ckpt-rematerialize's output", error
    # The first stack of the report (the access, or the deadly signal).
    frames = []
    for line in output.splitlines():
        fm = FRAME.match(line)
        if fm:
            if fm.group(1) == "0" and frames:
                break
            frames.append((fm.group(2), fm.group(3) or "", fm.group(4) or ""))
    skip = ("__sanitizer", "__asan", "__interceptor", "fuzzer::", "abort",
            "raise", "__GI_", "pthread_kill", "__pthread_kill", "gsignal",
            "StackTrace", "__libc_start", "_start", "main")
    first_upstream = None
    upstream = []  # the first three named frames outside ckpt
    upstream_funcs = []  # every frame above the first ckpt frame
    frames = [f for f in frames if not f[0].startswith("0x")]
    for func, path, line in frames:
        rel = os.path.relpath(path, src_root) if path.startswith("/") else path
        if rel.startswith("lib/") or rel.startswith("include/ckpt/"):
            if any(re.search(r"::parse$|^mlir::parse", short(f)) for f in upstream_funcs):
                # An upstream op's parser crashed inside a region that
                # ckpt's parser (CheckpointOp::parse) was reading.
                break
            return "ours", f"{short(func)} ({rel}:{line})", error
        if "runAfterPass" in func and first_upstream is not None:
            # The verifier crashed after a pass: that pass left dangling IR.
            return "after-pass", first_upstream, error
        if rel.startswith("tools/ckpt-fuzz/"):
            if "LLVMFuzzerCustomMutator" in func or "mutate" in func:
                return "harness", f"{short(func)} ({rel}:{line})", error
            continue
        upstream_funcs.append(func)
        if not func.startswith(skip) and len(upstream) < 3:
            where = os.path.basename(path) if path else ""
            upstream.append(f"{short(func)}" + (f" ({where}:{line})" if where else ""))
            first_upstream = " < ".join(upstream)
    if not frames:
        return "unknown", "no stack", error
    return "upstream", first_upstream or short(frames[0][0]), error


def short(func):
    """A function name without its argument list and template arguments."""
    func = re.sub(r"\(.*\)( const)?$", "", func)
    while True:
        shorter = re.sub(r"<[^<>]*>", "", func)
        if shorter == func:
            return func
        func = shorter


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dirs", nargs="+", help="artifact folders or files")
    p.add_argument("--fuzzer", default="build-fuzz/bin/ckpt-fuzz")
    p.add_argument("--src", default=os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))), help="ckpt's source tree")
    p.add_argument("--timeout", type=int, default=60)
    p.add_argument("--json", action="store_true")
    p.add_argument("--mutator-dumps", help="CKPT_FUZZ_MUTATOR_DUMP folder to replay")
    args = p.parse_args()

    files = []
    for d in args.dirs:
        if os.path.isdir(d):
            files += [os.path.join(d, f) for f in sorted(os.listdir(d))
                      if f.split("-")[0] in ("crash", "timeout", "oom", "leak")]
        else:
            files.append(d)
    src = os.path.realpath(args.src)
    table = {}
    env = dict(os.environ)
    env.pop("CKPT_FUZZ_SKIP_KNOWN", None)
    for f in files:
        size = os.path.getsize(f)
        if f.split("/")[-1].startswith("timeout"):
            cmd = [args.fuzzer, "-timeout=30", f]
        else:
            cmd = [args.fuzzer, "-rss_limit_mb=4096", f]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                               timeout=args.timeout, env=env)
            out = r.stdout + r.stderr
            if r.returncode == 0:
                kind, key, error = "no-repro", "does not reproduce", "exit 0"
            else:
                kind, key, error = classify(out, src)
            if key.startswith("invalid IR after"):
                # The verifier's message (CKPT_FUZZ_DEBUG prints diagnostics),
                # numbers and names elided, tells the defects apart.
                d = subprocess.run(cmd, capture_output=True, text=True,
                                   errors="replace", timeout=args.timeout,
                                   env=dict(env, CKPT_FUZZ_DEBUG="1"))
                text = d.stdout + d.stderr
                cut = text.find("ckpt-fuzz: IR invalid")
                diags = re.findall(r"^ckpt-fuzz diag: (.*)$", text[:cut], re.M)
                if diags:
                    msg = re.sub(r"\d+", "N", diags[-1])
                    msg = re.sub(r"'[^']*'", "'X'", msg) if "attribute" not in msg else msg
                    key += ": " + msg[:120]
            if kind == "after-pass":
                # Which pass: rerun printing the pass names (CKPT_FUZZ_DEBUG).
                d = subprocess.run(cmd, capture_output=True, text=True,
                                   errors="replace", timeout=args.timeout,
                                   env=dict(env, CKPT_FUZZ_DEBUG="1"))
                passes = re.findall(r"^ckpt-fuzz: verifying after pass '([^']*)'",
                                    d.stdout + d.stderr, re.M)
                p_name = passes[-1] if passes else "?"
                # (A binary older than the pass-name print leaves it unknown.)
                kind = ("ours" if p_name.startswith("ckpt-") else
                        "after-pass" if p_name == "?" else "upstream")
                # (Which op's verifier trips over the freed memory varies.)
                error = f"{error} in {key}"
                key = f"verifier crashes on the IR left by {p_name}"
        except subprocess.TimeoutExpired:
            kind, key, error = "timeout", f"no result within {args.timeout} s", ""
        if size == 0 and kind != "no-repro":
            key += " [empty input: crash outside the target, e.g. in the mutator]"
        row = table.setdefault((kind, key), {"kind": kind, "key": key, "count": 0,
                                             "smallest": f, "size": size,
                                             "error": error})
        row["count"] += 1
        if size < row["size"]:
            row["smallest"], row["size"] = f, size
    if args.mutator_dumps:
        for name in sorted(os.listdir(args.mutator_dumps)):
            if not name.endswith(".mlir"):
                continue
            f = os.path.join(args.mutator_dumps, name)
            seed = open(f[:-len(".mlir")] + ".seed").read().strip()
            try:
                r = subprocess.run([args.fuzzer, f], capture_output=True, text=True,
                                   errors="replace", timeout=args.timeout,
                                   env=dict(env, CKPT_FUZZ_REPLAY_MUTATOR=seed))
            except subprocess.TimeoutExpired:
                continue
            if r.returncode == 0:
                continue
            _, key, error = classify(r.stdout + r.stderr, src)
            row = table.setdefault(("mutator", key), {
                "kind": "mutator", "key": key, "count": 0, "smallest": f"{f} (seed {seed})",
                "size": os.path.getsize(f), "error": error})
            row["count"] += 1
    rows = sorted(table.values(), key=lambda r: (r["kind"] != "ours", -r["count"]))
    if args.json:
        json.dump(rows, sys.stdout, indent=1)
        print()
        return
    print(f"{len(files)} artifacts, {len(rows)} distinct "
          f"({sum(1 for r in rows if r['kind'] == 'ours')} ours)")
    for r in rows:
        print(f"{r['kind']:9} {r['count']:4}  {r['key']}\n"
              f"{'':15}{r['error']}\n{'':15}smallest: {r['smallest']} ({r['size']} bytes)")


if __name__ == "__main__":
    main()
