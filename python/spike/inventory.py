"""Stage 2c: what is in each exported file, and does it parse.

Runs as a separate process from torch-mlir (any python3):
    python3 python/spike/inventory.py FILE.mlir...
For each file: ckpt-opt's parse (FILE -o /dev/null), the op counts from MLIR 22's
`mlir-opt --allow-unregistered-dialect --print-op-stats`, the ops outside DESIGN section 1's
dialects, and attribute encodings worth knowing (hex-packed dense, dense_resource)."""
import collections
import os
import re
import subprocess
import sys

CKPT_OPT = os.environ.get("CKPT_OPT", "/work/main/build/bin/ckpt-opt")
MLIR_OPT = os.environ.get("MLIR_OPT", "/usr/lib/llvm-22/bin/mlir-opt")
ALLOWED = {"builtin", "func", "linalg", "tensor", "arith", "math", "scf", "bufferization"}
PATTERNS = {
    "hex-packed dense": r'dense<"0x',
    "dense_resource": r"dense_resource<",
    "dialect_resources blob": r"\{-#\s*dialect_resources",
    "i1 tensor constant": r"dense<[^>]*> : tensor<[0-9x]*xi1>",
}


def main():
    rc = 0
    for path in sys.argv[1:]:
        text = open(path).read()
        p = subprocess.run([CKPT_OPT, path, "-o", os.devnull], capture_output=True, text=True)
        first = (p.stderr.strip().splitlines() or [""])[0]
        print(f"== {path}: ckpt-opt parse {'OK' if p.returncode == 0 else 'FAIL: ' + first}")
        rc |= p.returncode != 0
        s = subprocess.run([MLIR_OPT, "--allow-unregistered-dialect", "--print-op-stats", path,
                            "-o", os.devnull], capture_output=True, text=True)
        ops = collections.Counter()
        for line in (s.stdout + s.stderr).splitlines():
            m = re.match(r"\s*([\w.]+)\s*,\s*(\d+)$", line)
            if m:
                ops[m.group(1)] += int(m.group(2))
        outside = {o: n for o, n in ops.items() if o.split(".")[0] not in ALLOWED}
        print("   ops:", ", ".join(f"{o} {n}" for o, n in sorted(ops.items())))
        print("   outside DESIGN 1:", outside or "none")
        for what, pat in PATTERNS.items():
            n = len(re.findall(pat, text))
            if n:
                print(f"   {what}: {n}")
    sys.exit(rc)


if __name__ == "__main__":
    main()
