#!/usr/bin/env python3
"""Compare the `result K: sum S l1 L bits B` lines of two ckpt-run outputs.

  compare_results.py --bits A B     every result bit-identical (same bits)
  compare_results.py --rtol R A B   every result's sum and L1 norm agree
                                    within R relative to B's L1 norm
                                    (|S_A - S_B| <= R * L_B, |L_A - L_B| <=
                                    R * L_B; a sum alone can be near 0)

Prints one line per result and a summary; exits 1 on a mismatch or if the
outputs have different results.
"""
import argparse
import re
import sys

LINE = re.compile(r"^result (\d+): sum (\S+) l1 (\S+) bits ([0-9a-f]+)$")


def read(path):
    results = {}
    with open(path) as f:
        for line in f:
            m = LINE.match(line.strip())
            if m:
                results[int(m.group(1))] = (float(m.group(2)), float(m.group(3)), m.group(4))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--bits", action="store_true")
    mode.add_argument("--rtol", type=float)
    parser.add_argument("a")
    parser.add_argument("b")
    args = parser.parse_args()
    a, b = read(args.a), read(args.b)
    if not a or sorted(a) != sorted(b):
        print("results differ: %s vs %s" % (sorted(a), sorted(b)))
        return 1
    bad = 0
    for k in sorted(a):
        (sa, la, ba), (sb, lb, bb) = a[k], b[k]
        if args.bits:
            ok = ba == bb
            print("result %d: bits %s %s %s" % (k, ba, "==" if ok else "!=", bb))
        else:
            ds, dl = abs(sa - sb) / lb, abs(la - lb) / lb
            ok = ds <= args.rtol and dl <= args.rtol
            print("result %d: relative difference sum %.1e l1 %.1e" % (k, ds, dl))
        bad += not ok
    if bad:
        print("%d of %d results differ" % (bad, len(a)))
        return 1
    print("all %d results %s" % (len(a), "bit-identical" if args.bits
                                 else "agree within %g" % args.rtol))
    return 0


if __name__ == "__main__":
    sys.exit(main())
