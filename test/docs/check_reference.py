"""Checks that the references name every op, pass, pipeline and attribute.

usage: check_reference.py SRC_ROOT OBJ_ROOT CKPT_OPT

* every op of include/ckpt/Dialect/Ckpt/IR/CkptOps.td has its section in the
  generated dialect reference, OBJ_ROOT/docs/Ckpt/CkptDialect.md
  (`ninja ckpt-doc`; check-ckpt builds it);
* every pass of `ckpt-opt --help` whose flag starts with `ckpt-` has its
  section in one of the generated pass references, OBJ_ROOT/docs/Ckpt/
  *Passes.md, and every include/**/Passes.td has its generated page;
* every test-only pass (`test-ckpt-*`), every `ckpt-` pipeline and each of
  its options, and every `--ckpt-*` flag of ckpt-opt that is no pass, are
  named in docs/reference.md;
* every attribute name the dialect defines (the `get*AttrName()` literals
  of CkptDialect.td) and every trace key (CkptTraces.h) is named in
  docs/reference.md;
* every source path the docs name in backquotes exists, and the layout of
  docs/building.md names every folder that holds tracked files.

Prints what it checked and each omission; exits 1 on an omission.
"""

import glob
import os
import re
import subprocess
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def help_sections(ckpt_opt):
    """(passes, pipelines, flags) of `ckpt-opt --help`: passes and pipelines
    map a flag to its option names; flags are the other --ckpt-* options."""
    text = subprocess.run([ckpt_opt, "--help"], stdout=subprocess.PIPE,
                          universal_newlines=True, check=True).stdout
    passes, pipelines, flags = {}, {}, []
    section = None
    current = None
    for line in text.splitlines():
        if line.strip() == "Passes:":
            section = passes
            continue
        if line.strip() == "Pass Pipelines:":
            section = pipelines
            continue
        m = re.match(r"^(\s*)--([A-Za-z0-9_-]+)", line)
        if not m:
            continue
        indent, name = len(m.group(1)), m.group(2)
        if section is not None and indent == 6:
            section[name] = []
            current = section[name]
            continue
        if section is not None and indent == 8 and current is not None:
            current.append(name)
            continue
        if indent == 2:
            section = current = None  # back at the top-level options
            if name.startswith("ckpt-"):
                flags.append(name)
    return passes, pipelines, flags


def main():
    src_root, obj_root, ckpt_opt = sys.argv[1:4]
    failures = []
    docs_dir = os.path.join(obj_root, "docs", "Ckpt")

    # Ops.
    dialect_md = os.path.join(docs_dir, "CkptDialect.md")
    if not os.path.exists(dialect_md):
        print("FAIL %s is missing: run `ninja -C build ckpt-doc`" % dialect_md)
        return 1
    dialect_doc = read(dialect_md)
    ops_td = read(os.path.join(src_root, "include/ckpt/Dialect/Ckpt/IR/CkptOps.td"))
    ops = ["ckpt." + m for m in re.findall(r'Ckpt_Op<"([a-z_]+)"', ops_td)]
    for op in ops:
        if "### `%s`" % op not in dialect_doc:
            failures.append("op %s has no section in %s" % (op, dialect_md))
    print("ops: %d (%s)" % (len(ops), ", ".join(ops)))

    # One generated page per Passes.td (the add_mlir_doc targets).
    pass_tds = sorted(glob.glob(os.path.join(src_root, "include", "**", "Passes.td"),
                      recursive=True))
    pages = sorted(glob.glob(os.path.join(docs_dir, "*Passes.md")))
    pass_doc = "".join(read(p) for p in pages)
    for td in pass_tds:
        cmake = read(os.path.join(os.path.dirname(td), "CMakeLists.txt"))
        if "-gen-pass-doc" not in cmake:
            failures.append("%s has no -gen-pass-doc target" % os.path.relpath(td, src_root))
        for flag in re.findall(r'\bPass<"([a-z0-9-]+)"', read(td)):
            if "### `-%s`" % flag not in pass_doc:
                failures.append("pass %s of %s has no section in the generated pages"
                                % (flag, os.path.relpath(td, src_root)))
    print("pass pages: %d for %d Passes.td" % (len(pages), len(pass_tds)))

    reference_path = os.path.join(src_root, "docs", "reference.md")
    reference = read(reference_path)

    passes, pipelines, flags = help_sections(ckpt_opt)
    ckpt_passes = sorted(p for p in passes if p.startswith("ckpt-"))
    test_passes = sorted(p for p in passes if p.startswith("test-ckpt-"))
    ckpt_pipelines = sorted(p for p in pipelines if p.startswith("ckpt-"))
    for p in ckpt_passes:
        if "### `-%s`" % p not in pass_doc:
            failures.append("pass %s (ckpt-opt --help) has no section in the generated "
                            "pass references" % p)
        if "`%s`" % p not in reference:
            failures.append("pass %s is not named in docs/reference.md" % p)
    for p in test_passes:
        if "`%s`" % p not in reference:
            failures.append("test pass %s is not named in docs/reference.md" % p)
    for p in ckpt_pipelines:
        m = re.search(r"^### `%s`\n(.*?)(?=^#|\Z)" % re.escape(p), reference,
                      re.M | re.S)
        if not m:
            failures.append("pipeline %s has no section in docs/reference.md" % p)
            continue
        for option in pipelines[p]:
            if "`%s" % option not in m.group(1):
                failures.append("option %s of pipeline %s is not in its section of "
                                "docs/reference.md" % (option, p))
    for f in flags:
        if "`--%s" % f not in reference:
            failures.append("ckpt-opt flag --%s is not named in docs/reference.md" % f)
    print("passes: %d ckpt-, %d test-ckpt-; pipelines: %s; flags: %s"
          % (len(ckpt_passes), len(test_passes),
             ", ".join("%s (%d options)" % (p, len(pipelines[p])) for p in ckpt_pipelines),
             ", ".join("--" + f for f in flags)))

    # Attributes and trace keys.
    dialect_td = read(os.path.join(src_root, "include/ckpt/Dialect/Ckpt/IR/CkptDialect.td"))
    attrs = re.findall(r'StringLiteral\("(ckpt\.[a-z_]+)"\)', dialect_td)
    traces = re.findall(r'=\s*"(ckpt\.[a-z_]+)";',
                        read(os.path.join(src_root, "include/ckpt/Dialect/Ckpt/IR/CkptTraces.h")))
    for a in attrs + traces:
        if "`%s" % a not in reference:
            failures.append("attribute %s is not named in docs/reference.md" % a)
    print("attributes: %s; trace keys: %s" % (", ".join(attrs), ", ".join(traces)))

    # Paths the docs name (`test/...`, `lib/...`, ...) exist; lib/lib*.so and
    # lib/cmake/ are build or install paths.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import doc_blocks
    named = 0
    for rel in doc_blocks.doc_files(src_root):
        text = read(os.path.join(src_root, rel))
        for m in re.finditer(r"`((?:include|lib|test|bench|scripts|examples|tools|runtime|"
                             r"python|cmake|docs)/[\w./+-]*)`", text):
            path = m.group(1)
            if path.startswith(("lib/lib", "lib/cmake/")):
                continue
            named += 1
            if not os.path.exists(os.path.join(src_root, path.rstrip("/"))):
                failures.append("%s:%d names %s, which does not exist"
                                % (rel, text.count("\n", 0, m.start()) + 1, path))
    print("paths named in the docs: %d" % named)

    # The layout of docs/building.md names every folder that holds tracked
    # files: the folder itself, a folder below it, or (below the top two
    # levels) its parent.
    git = subprocess.run(["git", "-C", src_root, "ls-files"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, universal_newlines=True)
    building = read(os.path.join(src_root, "docs", "building.md"))
    if git.returncode != 0 or "## Layout" not in building:
        failures.append("no git checkout, or docs/building.md has no Layout section")
    else:
        layout = building[building.index("## Layout"):]
        listed = set(p.rstrip("/") for p in
                     re.findall(r"(?<![\w./-])((?:[\w.+-]+/)+)", layout))
        folders = sorted({os.path.dirname(f) for f in git.stdout.split() if "/" in f})

        def covered(d):
            parent = os.path.dirname(d)
            return (d in listed or any(p.startswith(d + "/") for p in listed)
                    or (parent in listed and "/" in parent))
        for d in folders:
            if not covered(d):
                failures.append("folder %s/ is not in the layout of docs/building.md" % d)
        print("layout: %d folders" % len(folders))

    for f in failures:
        print("FAIL " + f)
    print("reference: %d omissions" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
