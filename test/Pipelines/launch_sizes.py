#!/usr/bin/env python3
"""Reads the IR that `ckpt-lower-to-nvvm` prints after
`ckpt-gpu-device-memory` (every kernel still a `gpu.launch` with its grid
and block sizes as index constants) and prints one line per launch:

    launch N: grid GX x GY x GZ block BX x BY x BZ (T threads)

then how many launches cover 1024 iterations or more, and
`small blocks: K` — the launches covering at least 1024 iterations
(grid times block threads) with fewer than 128 threads per block. Exit
status 1 if a launch size is not a constant or K > 0.

Usage: launch_sizes.py IR_FILE
"""
import re
import sys

CONST = re.compile(r"(%[\w.$-]+) = arith\.constant (\d+) : index")
LAUNCH = re.compile(
    r"gpu\.launch(?: async \[[^\]]*\])? blocks\([^)]*\) in \(([^)]*)\) "
    r"threads\([^)]*\) in \(([^)]*)\)")


def sizes(group, consts):
    values = []
    for binding in group.split(","):
        name = binding.split("=")[1].strip()
        if name not in consts:
            sys.exit(f"launch size {name} is not a constant")
        values.append(consts[name])
    return values


def main():
    text = open(sys.argv[1]).read()
    small = 0
    large = 0
    count = 0
    # Constants are per function; names restart in each.
    for func in re.split(r"\n\s*func\.func ", text):
        consts = {m.group(1): int(m.group(2)) for m in CONST.finditer(func)}
        for m in LAUNCH.finditer(func):
            grid, block = sizes(m.group(1), consts), sizes(m.group(2), consts)
            threads = block[0] * block[1] * block[2]
            total = threads * grid[0] * grid[1] * grid[2]
            print(f"launch {count}: grid {grid[0]} x {grid[1]} x {grid[2]} "
                  f"block {block[0]} x {block[1]} x {block[2]} "
                  f"({threads} threads)")
            count += 1
            if total >= 1024:
                large += 1
                if threads < 128:
                    small += 1
    print(f"launches: {count}")
    print(f"launches over 1024 iterations or more: {large}")
    print(f"small blocks: {small}")
    return 1 if small or not count else 0


if __name__ == "__main__":
    sys.exit(main())
