#!/usr/bin/env python3
"""Put a forward module and a backward module into one module, as the
split-form contract needs (rationale §1): every symbol and attribute alias of the
forward file gets the prefix `fwd_`, those of the backward file `bwd_` (so
private helpers and aliases of the same name do not collide), and the forward entry gets
`ckpt.backward = @bwd_<entry>` and `ckpt.num_outputs = K`.

  merge-split-pair.py FWD.mlir BWD.mlir [--fwd-entry main] [--bwd-entry main]
                      [--num-outputs 1] > pair.mlir

Each input is one `module { ... }` (comment lines before it are dropped).
The PyTorch partitioner's ResNet-18 pair that test/Models reads (resnet18_fwd.mlir,
resnet18_bwd.mlir) has one output; its saved values follow.
"""
import argparse
import re
import sys

SYMBOL = re.compile(r"@([A-Za-z_$.][\w$.]*)")


ALIAS_DEF = re.compile(r"^#([A-Za-z_][\w$]*)\s*=")


def module_parts(path):
    """Attribute alias definitions before the module, and the module body."""
    lines = [l for l in open(path).read().splitlines() if not l.lstrip().startswith("//")]
    start = next(i for i, l in enumerate(lines) if l.startswith("module"))
    end = max(i for i, l in enumerate(lines) if l.rstrip() == "}")
    if not lines[start].rstrip().endswith("{"):
        sys.exit(f"{path}: expected 'module {{' or 'module attributes {{...}} {{' on one line")
    aliases = [l for l in lines[:start] if ALIAS_DEF.match(l)]
    return aliases, lines[start + 1:end]


def prefixed(lines, names, prefix):
    """Prefixes symbols (@name) and the attribute aliases defined in the file
    (#name, but not dialect attributes such as #arith.fastmath)."""
    alias = re.compile(r"#(" + "|".join(map(re.escape, names)) + r")\b(?![.\w])") if names else None
    out = []
    for l in lines:
        l = SYMBOL.sub(lambda m: "@" + prefix + m.group(1), l)
        if alias:
            l = alias.sub(lambda m: "#" + prefix + m.group(1), l)
        out.append(l)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fwd")
    parser.add_argument("bwd")
    parser.add_argument("--fwd-entry", default="main")
    parser.add_argument("--bwd-entry", default="main")
    parser.add_argument("--num-outputs", type=int, default=1)
    args = parser.parse_args()
    fwd_aliases, fwd = module_parts(args.fwd)
    bwd_aliases, bwd = module_parts(args.bwd)
    fwd_names = [ALIAS_DEF.match(l).group(1) for l in fwd_aliases]
    bwd_names = [ALIAS_DEF.match(l).group(1) for l in bwd_aliases]
    fwd_aliases = prefixed(fwd_aliases, fwd_names, "fwd_")
    bwd_aliases = prefixed(bwd_aliases, bwd_names, "bwd_")
    fwd = prefixed(fwd, fwd_names, "fwd_")
    bwd = prefixed(bwd, bwd_names, "bwd_")
    entry = f"func.func @fwd_{args.fwd_entry}("
    attrs = f"ckpt.backward = @bwd_{args.bwd_entry}, ckpt.num_outputs = {args.num_outputs}"
    for i, line in enumerate(fwd):
        if entry in line:
            if " attributes {" in line:
                fwd[i] = line.replace(" attributes {", f" attributes {{{attrs}, ", 1)
            elif line.rstrip().endswith("{"):
                fwd[i] = line.rstrip()[:-1].rstrip() + f" attributes {{{attrs}}} {{"
            else:
                sys.exit(f"{args.fwd}: the signature of @{args.fwd_entry} must be on one line")
            break
    else:
        sys.exit(f"{args.fwd}: no func.func @{args.fwd_entry}")
    print("\n".join(fwd_aliases + bwd_aliases))
    print("module {")
    print("\n".join(fwd))
    print("\n".join(bwd))
    print("}")


if __name__ == "__main__":
    main()
