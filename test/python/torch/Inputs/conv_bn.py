"""A small conv net with BatchNorm (buffers: running_mean, running_var and the 0-d int64
num_batches_tracked), `bn` wrapped with composable checkpoint; cross-entropy."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributed._composable import checkpoint


class ConvNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.act = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, classes)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.act(self.bn(self.conv(x)))), 1))


def make():
    torch.manual_seed(0)
    model = ConvNet()
    checkpoint(model.bn)
    return model, (torch.randn(2, 3, 16, 16), torch.tensor([3, 7])), \
        lambda m, x, y: F.cross_entropy(m(x), y)
