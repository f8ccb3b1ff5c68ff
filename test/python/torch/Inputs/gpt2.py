"""A GPT-2-style decoder for the front-end tests, written as a plain nn.Module (after
nanoGPT's model.py): token and position embeddings (nn.Embedding), blocks of pre-norm
causal self-attention with softmax and a GELU MLP with residuals, a final LayerNorm and
an untied head; cross-entropy over the next tokens. Dropout is left out (docs/rationale.md §4: no
stateful RNG); the causal mask is built from two aranges compared (no boolean constant
tensor in the graph). Every block is wrapped with PyTorch's composable checkpoint.

make() is the factory of `python -m ckpt_torch`: (model, example_inputs, loss_fn);
make_unwrapped() is the same model, weights and batch with no block checkpointed."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributed._composable import checkpoint


class CausalSelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        b, t, d = x.shape
        h = self.heads
        q, k, v = self.qkv(x).split(d, dim=2)
        q = q.view(b, t, h, d // h).transpose(1, 2)       # (b, h, t, d/h)
        k = k.view(b, t, h, d // h).transpose(1, 2)
        v = v.view(b, t, h, d // h).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d // h))
        pos = torch.arange(t)
        causal = pos.view(t, 1) >= pos.view(1, t)           # (t, t): key <= query
        att = att.masked_fill(~causal, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        return self.proj(y)


class MLP(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc = nn.Linear(d, 4 * d)
        self.act = nn.GELU(approximate="tanh")
        self.proj = nn.Linear(4 * d, d)

    def forward(self, x):
        return self.proj(self.act(self.fc(x)))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d)
        self.attn = CausalSelfAttention(d, heads)
        self.ln_2 = nn.LayerNorm(d)
        self.mlp = MLP(d)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, vocab=64, context=16, d=32, heads=2, layers=2):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(context, d)
        self.h = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, idx):
        b, t = idx.shape
        x = self.wte(idx) + self.wpe(torch.arange(t))
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))


def loss_fn(model, idx, targets):
    logits = model(idx)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def make_unwrapped(batch=2, t=16, vocab=64):
    torch.manual_seed(0)
    model = GPT(vocab=vocab, context=t)
    tokens = torch.randint(0, vocab, (batch, t + 1))
    return model, (tokens[:, :-1].contiguous(), tokens[:, 1:].contiguous()), loss_fn


def make():
    model, inputs, loss = make_unwrapped()
    for block in model.h:
        checkpoint(block)
    return model, inputs, loss
