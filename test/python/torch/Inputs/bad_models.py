"""Models the front end refuses (factories of `python -m ckpt_torch`)."""

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.checkpoint

from two_block_mlp import MLP, loss_fn, make


class Reentrant(MLP):
    """blocks.1 under torch.utils.checkpoint.checkpoint(use_reentrant=True)."""
    def forward(self, x):
        x = self.blocks[0](x)
        x = torch.utils.checkpoint.checkpoint(self.blocks[1], x, use_reentrant=True)
        return self.head(x)


def reentrant():
    torch.manual_seed(0)
    return Reentrant(), (torch.randn(8, 16), torch.randn(8, 4)), loss_fn


def vector_loss():
    """A loss of shape (8,): reduction='none' averaged over the last dimension only."""
    torch.manual_seed(0)
    model = MLP()
    return model, (torch.randn(8, 16), torch.randn(8, 4)), \
        lambda m, x, y: F.mse_loss(m(x), y, reduction="none").mean(1)


class Gather(nn.Module):
    """Rows picked with index_select (not nn.Embedding, which the front end decomposes
    into one-hot matmuls): its backward lowers to a scatter (`tm_tensor.scatter`),
    outside the dialects ckpt accepts (docs/rationale.md §1)."""
    def __init__(self):
        super().__init__()
        self.table = nn.Parameter(torch.randn(10, 4))
        self.fc = nn.Linear(4, 2)

    def forward(self, idx):
        return self.fc(self.table.index_select(0, idx))


def gather():
    torch.manual_seed(0)
    return Gather(), (torch.tensor([1, 2, 3]), torch.randn(3, 2)), \
        lambda m, x, y: F.mse_loss(m(x), y)


class BranchyBlock(nn.Module):
    """A block whose forward branches on a value of its input (data-dependent control
    flow: the trace cannot follow it)."""
    def __init__(self, d=16):
        super().__init__()
        self.fc = nn.Linear(d, d)

    def forward(self, x):
        h = self.fc(x)
        if h.sum() > 0:
            return torch.relu(h)
        return torch.tanh(h)


class Branchy(MLP):
    def __init__(self):
        super().__init__()
        self.blocks[1] = BranchyBlock()


def data_dependent():
    """Both blocks under composable checkpoint, as in two_block_mlp.make()."""
    return make(Branchy)


class GatherInBlock(nn.Module):
    """The gather inside a checkpointed submodule (`emb`): the refusal names the module."""
    def __init__(self):
        super().__init__()
        self.emb = Gather()
        self.fc = nn.Linear(2, 2)

    def forward(self, idx):
        return self.fc(self.emb(idx))


def gather_in_module():
    torch.manual_seed(0)
    model = GatherInBlock()
    from torch.distributed._composable import checkpoint
    checkpoint(model.emb)
    return model, (torch.tensor([1, 2, 3]), torch.randn(3, 2)), \
        lambda m, x, y: F.mse_loss(m(x), y)
