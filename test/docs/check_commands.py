"""Runs the shell commands of README.md and docs/*.md.

usage: check_commands.py SRC_ROOT OBJ_ROOT TMPDIR [--exclude DOC]... [DOC ...]

DOC (default: every file but the excluded ones) is README.md or
docs/NAME.md. The commands of a
doc's blocks (doc_blocks.py: ```sh blocks, and "$ " lines of transcripts)
run in document order, each block as one `bash -e -o pipefail` script with
a 120 s limit, in a workspace made for the doc:

    TMPDIR/<doc>/ckpt/     the current directory: a link to every top-level
                           entry of SRC_ROOT, and build -> OBJ_ROOT, so that
                           files a command writes (pair.mlir, front.json)
                           land here, not in the source tree
    TMPDIR/<doc>/shared    -> SRC_ROOT/../shared (../shared/models), if it exists
    TMPDIR/<doc>/tmp/      what the docs call /tmp/ (every "/tmp/" in a
                           command is replaced by this folder)

with OBJ_ROOT/bin and the LLVM tools' folder first on PATH. Blocks marked
`gpu` or `not-run (REASON)` are listed, not run; a block reading
../shared/models where that folder is absent, one launching ranks of an
MPI library whose launcher is not installed, or one using a library of
build/lib that this build lacks (the plugin and the C API exist only with
libMLIR.so), is UNSUPPORTED. Prints a line
per block, and exits 1 if a block fails or a marker is misplaced.
"""

import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import doc_blocks  # noqa: E402

LIMIT_S = 120
# Blocks that launch ranks with one of these need its launcher.
MPI_LAUNCHERS = [("openmpi", "mpirun.openmpi"), ("mpich", "mpirun.mpich")]


def make_workspace(src_root, obj_root, tmp, doc):
    top = os.path.join(tmp, doc.replace("/", "_"))
    if os.path.exists(top):
        shutil.rmtree(top)
    ws = os.path.join(top, "ckpt")
    os.makedirs(ws)
    os.makedirs(os.path.join(top, "tmp"))
    for entry in os.listdir(src_root):
        if entry in ("build", ".git"):
            continue
        os.symlink(os.path.join(src_root, entry), os.path.join(ws, entry))
    os.symlink(obj_root, os.path.join(ws, "build"))
    shared = os.path.join(os.path.dirname(src_root), "shared")
    if os.path.isdir(shared):
        os.symlink(shared, os.path.join(top, "shared"))
    return ws, os.path.join(top, "tmp")


def main():
    src_root, obj_root, tmp = (os.path.abspath(a) for a in sys.argv[1:4])
    args, exclude = sys.argv[4:], []
    while len(args) >= 2 and args[0] == "--exclude":
        exclude.append(args[1])
        args = args[2:]
    all_docs = doc_blocks.doc_files(src_root)
    for doc in exclude + args:
        if doc not in all_docs:
            print("FAIL unknown doc %s" % doc)
            return 1
    docs = args or [d for d in all_docs if d not in exclude]
    llvm_bin = "/usr/lib/llvm-22/bin"
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([os.path.join(obj_root, "bin"), llvm_bin, env.get("PATH", "")])
    have_models = os.path.isdir(os.path.join(os.path.dirname(src_root), "shared", "models"))
    counts = {"PASS": 0, "FAIL": 0, "GPU": 0, "NOT-RUN": 0, "UNSUPPORTED": 0}
    errors = []
    start_all = time.time()
    for doc in docs:
        blocks = doc_blocks.read_blocks(src_root, doc)
        errors += doc_blocks.check_markers(blocks)
        blocks = [b for b in blocks if b.has_commands()]
        if not blocks:
            continue
        ws, ws_tmp = make_workspace(src_root, obj_root, tmp, doc)
        for b in blocks:
            if b.marker == "gpu":
                counts["GPU"] += 1
                print("GPU %s" % b.where)
                continue
            if b.marker == "not-run":
                counts["NOT-RUN"] += 1
                print("NOT-RUN %s (%s)" % (b.where, b.reason))
                continue
            script = b.script().replace("/tmp/", ws_tmp + "/")
            if "../shared/" in script and not have_models:
                counts["UNSUPPORTED"] += 1
                print("UNSUPPORTED %s (no ../shared/models)" % b.where)
                continue
            libs = set(re.findall(r"build/lib/(lib[\w.+-]+\.so)\b", script))
            libs |= {"lib%s.so" % l for l in re.findall(r"-l(Ckpt\w+)", script)}
            if "build/python" in script:
                libs.add("libCkptCAPI.so")  # the Python package loads the C API
            unbuilt = sorted(l for l in libs
                             if not os.path.exists(os.path.join(obj_root, "lib", l)))
            if unbuilt:
                counts["UNSUPPORTED"] += 1
                print("UNSUPPORTED %s (not built: %s)" % (b.where, ", ".join(unbuilt)))
                continue
            missing = [launcher for impl, launcher in MPI_LAUNCHERS
                       if ("--mpi " + impl in script or launcher in script)
                       and not shutil.which(launcher)]
            if missing:
                counts["UNSUPPORTED"] += 1
                print("UNSUPPORTED %s (no %s)" % (b.where, ", ".join(missing)))
                continue
            start = time.time()
            try:
                r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script],
                                   cwd=ws, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, universal_newlines=True,
                                   timeout=LIMIT_S)
                rc, out = r.returncode, r.stdout
            except subprocess.TimeoutExpired as e:
                rc, out = "timeout", (e.output or "")
                if isinstance(out, bytes):
                    out = out.decode(errors="replace")
            took = time.time() - start
            if rc == 0:
                counts["PASS"] += 1
                print("PASS %s (%.1f s)" % (b.where, took))
            else:
                counts["FAIL"] += 1
                tail = "\n".join(out.splitlines()[-30:])
                print("FAIL %s (exit %s, %.1f s)\n--- script\n%s--- output (last 30 lines)\n%s\n---"
                      % (b.where, rc, took, script, tail))
    for e in errors:
        print("MARKER ERROR %s" % e)
    print("commands: %d passed, %d failed, %d need a GPU, %d not run, %d unsupported, "
          "%d marker errors (%.0f s)"
          % (counts["PASS"], counts["FAIL"], counts["GPU"], counts["NOT-RUN"],
             counts["UNSUPPORTED"], len(errors), time.time() - start_all))
    return 1 if counts["FAIL"] or errors else 0


if __name__ == "__main__":
    sys.exit(main())
