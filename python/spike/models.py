"""Spike models for issue 15 (PyTorch front end): a 2-layer MLP and a small conv net."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, d_in=8, d_hidden=16, d_out=4):
        super().__init__()
        self.fc1 = nn.Linear(d_in, d_hidden)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(d_hidden, d_out)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class ConvNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.act = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, classes)

    def forward(self, x):
        y = self.pool(self.act(self.bn(self.conv(x))))
        return self.fc(torch.flatten(y, 1))


def mlp_case():
    torch.manual_seed(0)
    model = MLP()
    x = torch.randn(4, 8)
    y = torch.randn(4, 4)
    return "mlp", model, x, y, F.mse_loss


def conv_case():
    torch.manual_seed(0)
    model = ConvNet()
    x = torch.randn(2, 3, 16, 16)
    y = torch.tensor([3, 7])
    return "conv", model, x, y, F.cross_entropy


CASES = [mlp_case, conv_case]
