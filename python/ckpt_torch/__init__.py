"""ckpt's PyTorch front end (issue 15): one training step of a PyTorch model as MLIR.

    from ckpt_torch import export_training_step
    text = export_training_step(model, (x, y), lambda m, x, y: F.mse_loss(m(x), y))

Command line: `python -m ckpt_torch FILE.py FACTORY -o step.mlir [--inputs PATH.npz]`
(docs/pytorch.md). Needs the venv of scripts/torch-venv.sh (torch, torch-mlir) and
ckpt-opt (run as a subprocess)."""
from .export import export_training_step, find_ckpt_opt
from .regions import ExportError

__all__ = ["export_training_step", "find_ckpt_opt", "ExportError"]
