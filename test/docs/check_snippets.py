"""Runs ckpt-opt on every ```mlir block of README.md and docs/*.md.

usage: check_snippets.py SRC_ROOT CKPT_OPT TMPDIR

Each block not marked `<!-- doc-test: fragment -->` must parse and verify
as a whole module (`ckpt-opt FILE -o /dev/null` exits 0). Prints one line
per block and a summary; exits 1 if a block fails or a marker is misplaced.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import doc_blocks  # noqa: E402


def main():
    src_root, ckpt_opt, tmp = sys.argv[1:4]
    os.makedirs(tmp, exist_ok=True)
    blocks = doc_blocks.all_blocks(src_root)
    errors = doc_blocks.check_markers(blocks)
    parsed = fragments = failed = 0
    for b in blocks:
        if b.lang != "mlir":
            continue
        if b.marker == "fragment":
            fragments += 1
            print("FRAGMENT %s" % b.where)
            continue
        name = os.path.join(tmp, "%s-%d.mlir" % (b.path.replace("/", "_"), b.line))
        with open(name, "w", encoding="utf-8") as f:
            f.write(b.text)
        r = subprocess.run([ckpt_opt, name, "-o", os.devnull],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        if r.returncode == 0:
            parsed += 1
            print("PARSED %s" % b.where)
        else:
            failed += 1
            print("FAILED %s: ckpt-opt exited %d\n%s" % (b.where, r.returncode, r.stdout))
    for e in errors:
        print("MARKER ERROR %s" % e)
    print("snippets: %d parsed, %d fragments skipped, %d failed, %d marker errors"
          % (parsed, fragments, failed, len(errors)))
    return 1 if failed or errors else 0


if __name__ == "__main__":
    sys.exit(main())
