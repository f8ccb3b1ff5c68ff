"""ckpt-torch: export one training step of a PyTorch model as MLIR for ckpt.

    python -m ckpt_torch MODEL.py FACTORY -o step.mlir [--inputs PATH.npz]

MODEL.py is loaded as a module and FACTORY() called: it returns
(model, example_inputs, loss_fn), the loss being loss_fn(model, *example_inputs).
The step is written to -o (default: stdout) and, with --inputs, its arguments to an npz
archive in argument order (ckpt-run --inputs). Both are written atomically (a temporary
file renamed): on any error nothing is written. Exit status 1 with a message on a
refused model (use_reentrant=True, a non-scalar loss, ...)."""
import argparse
import importlib.util
import os
import sys

from .export import export_training_step, stage_file, step_arguments
from .regions import ExportError


def load_factory(path, name):
    spec = importlib.util.spec_from_file_location("_ckpt_torch_model", path)
    if spec is None:
        raise ExportError(f"ckpt-torch: cannot load {path} as a Python file")
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec.loader.exec_module(mod)
    factory = getattr(mod, name, None)
    if not callable(factory):
        raise ExportError(f"ckpt-torch: {path} has no function '{name}'")
    made = factory()
    if not (isinstance(made, tuple) and len(made) == 3):
        raise ExportError(f"ckpt-torch: {name}() must return (model, example_inputs, "
                          "loss_fn)")
    return made


def _write_text(path, text):
    with open(path, "w") as f:
        f.write(text)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="ckpt-torch", description=__doc__.split("\n")[0])
    parser.add_argument("file", metavar="MODEL.py")
    parser.add_argument("factory", metavar="FACTORY",
                        help="function of MODEL.py returning (model, example_inputs, loss_fn)")
    parser.add_argument("-o", dest="output", metavar="step.mlir", default="-",
                        help="the MLIR file (default: stdout)")
    parser.add_argument("--inputs", metavar="PATH.npz",
                        help="write the step's arguments (np.savez, argument order)")
    parser.add_argument("--form", choices=["joint", "split"], default="joint")
    parser.add_argument("--func-name", default="train_step",
                        help="the step function's name (default: train_step)")
    parser.add_argument("--ckpt-opt", metavar="PATH",
                        help="ckpt-opt to run (default: $CKPT_OPT, PATH, build/bin)")
    args = parser.parse_args(argv)
    try:
        model, example_inputs, loss_fn = load_factory(args.file, args.factory)
        text = export_training_step(model, example_inputs, loss_fn, form=args.form,
                                    func_name=args.func_name, ckpt_opt=args.ckpt_opt)
        # Both files are made under temporary names and renamed at the end: on an error
        # nothing is left at -o or --inputs.
        done = []
        try:
            if args.inputs:
                import numpy as np
                arrays = step_arguments(model, example_inputs)
                done.append((stage_file(args.inputs, lambda tmp: np.savez(tmp, *arrays),
                                        ".npz"), args.inputs))
            if args.output != "-":
                done.append((stage_file(args.output, lambda tmp: _write_text(tmp, text),
                                        ".mlir"), args.output))
        except BaseException:
            for tmp, _ in done:
                os.unlink(tmp)
            raise
        for tmp, final in done:
            os.replace(tmp, final)
        if args.output == "-":
            sys.stdout.write(text)
    except (ExportError, NotImplementedError) as e:
        sys.stderr.write(f"{e}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
