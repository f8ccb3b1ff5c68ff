"""Selective checkpointing for the front-end tests: blocks.0 of the 2-block MLP
(Inputs/two_block_mlp.py) under composable checkpoint with a `context_fn` of
`create_selective_checkpoint_contexts`, by an op list or a policy function; and the
same through `torch.utils.checkpoint.checkpoint`. Factories of `python -m ckpt_torch`."""
import functools

import torch
import torch.nn as nn
import torch.utils.checkpoint
from torch.distributed._composable import checkpoint

from two_block_mlp import MLP, loss_fn


def _selective(policy):
    """blocks.0 under composable checkpoint with selective checkpointing by `policy`
    (an op list or a policy function)."""
    torch.manual_seed(0)
    model = MLP()
    checkpoint(model.blocks[0], context_fn=functools.partial(
        torch.utils.checkpoint.create_selective_checkpoint_contexts, policy))
    return model, (torch.randn(8, 16), torch.randn(8, 4)), loss_fn


def selective_policy():
    """A policy function: PyTorch calls it per op at run time; not mapped."""
    def policy(ctx, op, *args, **kwargs):
        return torch.utils.checkpoint.CheckpointPolicy.MUST_SAVE
    return _selective(policy)


def selective_relu():
    """An op list that saves a pointwise op (aten.relu): only contractions are mapped."""
    return _selective([torch.ops.aten.relu.default])


def selective_addmm():
    """Saves aten.addmm (what nn.Linear on 2-D input runs): blocks.0's matmuls."""
    return _selective([torch.ops.aten.addmm.default])


def selective_mm():
    """Saves aten.mm, which the 2-D blocks never run (their Linear runs aten.addmm)."""
    return _selective([torch.ops.aten.mm.default])


class MixedBlock(nn.Module):
    """A Linear (aten.addmm) and a product with a weight (`@`, aten.mm): both lower to
    linalg.matmul."""
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 16)
        self.w = nn.Parameter(torch.randn(16, 16) / 4)

    def forward(self, x):
        return torch.relu(self.fc1(x)) @ self.w


def selective_mixed():
    """Saves aten.addmm but not aten.mm in a block that runs both."""
    torch.manual_seed(0)
    model = MLP()
    model.blocks[0] = MixedBlock()
    checkpoint(model.blocks[0], context_fn=functools.partial(
        torch.utils.checkpoint.create_selective_checkpoint_contexts,
        [torch.ops.aten.addmm.default]))
    return model, (torch.randn(8, 16), torch.randn(8, 4)), loss_fn


class FunctionalSelective(MLP):
    """Both blocks under torch.utils.checkpoint.checkpoint; blocks.1's saves aten.addmm."""
    def forward(self, x):
        x = torch.utils.checkpoint.checkpoint(self.blocks[0], x, use_reentrant=False)
        x = torch.utils.checkpoint.checkpoint(
            self.blocks[1], x, use_reentrant=False, context_fn=functools.partial(
                torch.utils.checkpoint.create_selective_checkpoint_contexts,
                [torch.ops.aten.addmm]))
        return self.head(x)


def functional_addmm():
    torch.manual_seed(0)
    return FunctionalSelective(), (torch.randn(8, 16), torch.randn(8, 4)), loss_fn
