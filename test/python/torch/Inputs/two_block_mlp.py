"""A 2-block MLP for the front-end tests: two Linear-ReLU-Linear blocks, each wrapped with
PyTorch's composable checkpoint, then a Linear head; MSE loss. make() is the factory
of `python -m ckpt_torch`: (model, example_inputs, loss_fn)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributed._composable import checkpoint


class Block(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.fc1 = nn.Linear(d, hidden)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(hidden, d)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class MLP(nn.Module):
    def __init__(self, d=16, hidden=32, out=4):
        super().__init__()
        self.blocks = nn.ModuleList([Block(d, hidden), Block(d, hidden)])
        self.head = nn.Linear(d, out)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return self.head(x)


def loss_fn(model, x, y):
    return F.mse_loss(model(x), y)


def make(model_class=None):
    """model_class: an MLP subclass to build instead (the refused models reuse this)."""
    torch.manual_seed(0)
    model = (model_class or MLP)()
    for block in model.blocks:
        checkpoint(block)
    return model, (torch.randn(8, 16), torch.randn(8, 4)), loss_fn


from torch.utils.checkpoint import checkpoint as utils_checkpoint   # noqa: E402


class FunctionalMLP(MLP):
    """The same MLP with each block run under `torch.utils.checkpoint.checkpoint`, imported
    by name (`from torch.utils.checkpoint import checkpoint`), as model files often do."""

    def forward(self, x):
        for block in self.blocks:
            x = utils_checkpoint(block, x, use_reentrant=False)
        return self.head(x)


def make_from_import():
    torch.manual_seed(0)
    return FunctionalMLP(), (torch.randn(8, 16), torch.randn(8, 4)), loss_fn
