#!/usr/bin/env python3
"""Put a forward module and a backward module into one module, as the
split-form contract needs (rationale §1): every symbol and attribute alias of the
forward file gets the prefix `fwd_`, those of the backward file `bwd_` (so
private helpers and aliases of the same name do not collide), and the forward entry gets
`ckpt.backward = @bwd_<entry>` and `ckpt.num_outputs = K`.

  merge-split-pair.py FWD.mlir BWD.mlir [--fwd-entry main] [--bwd-entry main]
                      [--num-outputs 1] [--step NAME] > pair.mlir

With --step NAME, a private `@NAME` runs the whole step, for ckpt-run
--entry NAME: its arguments are the forward's, then the backward's after
the saved values (the output gradients), integer arguments left out (zeros
inside); it calls the forward, passes the saved results and those gradients
to the backward, and returns the forward's outputs, then the backward's
results. Being private, it is a helper, not a
training step (rationale §1); ckpt-rematerialize updates its call pair.

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


def split_top_level(text):
    """Splits at commas outside <>, (), [] and {}."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def signature(lines, name):
    """(argument types, result types) of `func.func @name` (one line)."""
    line = next(l for l in lines if f"func.func @{name}(" in l)
    rest = line[line.index(f"@{name}(") + len(name) + 2:]
    depth, end = 1, 0
    for end, ch in enumerate(rest):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            break
    args = [a.split(":", 1)[1].strip() for a in split_top_level(rest[:end])]
    results = rest[end + 1:].split(" attributes ")[0].strip().rstrip("{").strip()
    results = results[2:].strip() if results.startswith("->") else ""
    if results.startswith("("):
        results = results[1:-1]
    return args, split_top_level(results)


def step_function(name, fwd_entry, fwd_sig, bwd_entry, bwd_sig, num_outputs):
    fwd_args, fwd_results = fwd_sig
    bwd_args, bwd_results = bwd_sig
    num_saved = len(fwd_results) - num_outputs
    grads = bwd_args[num_saved:]
    # Integer arguments (PyTorch's num_batches_tracked counters, which the
    # ResNet-18 forward does not read) are zeros made inside the step, so
    # that the step takes floats only (what ckpt-runner-main generates).
    is_int = [re.match(r"tensor<([0-9]+x)*i[0-9]+>$", t) is not None for t in fwd_args]
    params = [f"%a{i}: {t}" for i, t in enumerate(fwd_args) if not is_int[i]]
    params += [f"%g{i}: {t}" for i, t in enumerate(grads)]
    zeros = [f"    %a{i} = arith.constant dense<0> : {t}"
             for i, t in enumerate(fwd_args) if is_int[i]]
    fwd_call_args = ", ".join(f"%a{i}" for i in range(len(fwd_args)))
    bwd_call_args = ", ".join([f"%f#{num_outputs + i}" for i in range(num_saved)] +
                              [f"%g{i}" for i in range(len(grads))])
    returned = ([f"%f#{i}" for i in range(num_outputs)] +
                [f"%b#{i}" for i in range(len(bwd_results))])
    out_types = fwd_results[:num_outputs] + bwd_results
    return "\n".join([
        f"  func.func private @{name}({', '.join(params)}) -> ({', '.join(out_types)}) {{"] +
        zeros + [
        f"    %f:{len(fwd_results)} = call @fwd_{fwd_entry}({fwd_call_args}) : "
        f"({', '.join(fwd_args)}) -> ({', '.join(fwd_results)})",
        f"    %b:{len(bwd_results)} = call @bwd_{bwd_entry}({bwd_call_args}) : "
        f"({', '.join(bwd_args)}) -> ({', '.join(bwd_results)})",
        f"    return {', '.join(returned)} : {', '.join(out_types)}",
        "  }"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fwd")
    parser.add_argument("bwd")
    parser.add_argument("--fwd-entry", default="main")
    parser.add_argument("--bwd-entry", default="main")
    parser.add_argument("--num-outputs", type=int, default=1)
    parser.add_argument("--step", help="also add a private @STEP running "
                        "forward and backward (for ckpt-run --entry STEP)")
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
    if args.step:
        print(step_function(args.step, args.fwd_entry,
                            signature(fwd, f"fwd_{args.fwd_entry}"),
                            args.bwd_entry, signature(bwd, f"bwd_{args.bwd_entry}"),
                            args.num_outputs))
    print("}")


if __name__ == "__main__":
    main()
