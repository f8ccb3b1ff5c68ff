"""Stage 2d: which modules of the issue's models (GPT-2 block pieces, ResNet) lower to
upstream MLIR through the chosen route (aot_function joint graph, torch-mlir's table less
nll_loss_backward), and which leave tm_tensor / ml_program / torch_c / cf ops.

Run with the torch venv's python:
    python python/spike/probe_ops.py [OUTDIR] [NAME...] [--keep=OP,...] [--nll-onehot=1]
--keep: aten ops also left out of the decomposition table; --nll-onehot: nll_loss_forward
decomposed here as a one-hot product instead of a gather; --maxpool-masks:
max_pool2d_with_indices_backward decomposed here with masks and pads instead of a scatter;
--embedding-onehot: aten.embedding and embedding_dense_backward as one-hot matmuls.
Writes OUTDIR/probe_<name>.mlir and runs inventory.py (a separate process) on each."""
import math
import os
import subprocess
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch_mlir import fx

sys.path.insert(0, os.path.dirname(__file__))
from joint_meta import joint_graph  # noqa: E402
from train_step import decomp_table  # noqa: E402


class Attn(nn.Module):
    """Causal self-attention written with matmul + softmax (mask from iota compare)."""
    def __init__(self, d=16, h=2, sdpa=False):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.h, self.sdpa = h, sdpa

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        q, k, v = (z.view(b, t, self.h, d // self.h).transpose(1, 2) for z in (q, k, v))
        if self.sdpa:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            s = q @ k.transpose(-2, -1) / math.sqrt(d // self.h)
            i = torch.arange(t)
            s = s.masked_fill(i[None, :] > i[:, None], float("-inf"))
            y = F.softmax(s, dim=-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class Tokens(nn.Module):
    def __init__(self, vocab=32, d=16, t=8, one_hot=False):
        super().__init__()
        self.one_hot = one_hot
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(t, d)
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        pos = torch.arange(idx.shape[1])
        if self.one_hot:   # the lookup as a matmul with a one-hot (iota == index) matrix
            tok = F.one_hot(idx, self.wte.num_embeddings).to(self.wte.weight.dtype)
            return self.head(self.ln(tok @ self.wte.weight + self.wpe.weight[: idx.shape[1]]))
        return self.head(self.ln(self.wte(idx) + self.wpe(pos)))


class MathSDPA(Attn):
    """F.scaled_dot_product_attention traced with the math backend (composite: it
    decomposes before autograd records the backward)."""
    def forward(self, x):
        from torch.nn.attention import SDPBackend, sdpa_kernel
        with sdpa_kernel(SDPBackend.MATH):
            return super().forward(x)


def nll_loss_forward_one_hot(self, target, weight, reduction, ignore_index):
    """aten.nll_loss_forward as a one-hot (iota == target) product: no gather, so no
    cf.assert index check in the lowering. reduction mean/sum, no class weights."""
    assert weight is None and self.dim() == 2
    valid = target != ignore_index
    onehot = F.one_hot(torch.where(valid, target, 0), self.shape[1]).to(self.dtype)
    picked = -(self * onehot).sum(1) * valid.to(self.dtype)
    total = valid.to(self.dtype).sum()
    out = picked.sum() / total if reduction == 1 else picked.sum()
    return out, total


def lm_loss(logits, y):
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


def max_pool2d_backward_masks(grad_output, self, kernel_size, stride, padding, dilation,
                              ceil_mode, indices):
    """aten.max_pool2d_with_indices_backward without a scatter: for each kernel offset, the
    gradient of the outputs whose argmax is that offset (indices == flat input index),
    spread to the strided input positions (interleave zeros by pad + reshape, then pad to
    the padded input), summed, and the padding sliced off."""
    kh, kw = kernel_size if len(kernel_size) == 2 else 2 * list(kernel_size)
    sh, sw = (stride if len(stride) == 2 else 2 * list(stride)) if stride else (kh, kw)
    ph, pw = padding if len(padding) == 2 else 2 * list(padding)
    dh, dw = dilation if len(dilation) == 2 else 2 * list(dilation)
    h, w = self.shape[-2:]
    ho, wo = grad_output.shape[-2:]
    oh = torch.arange(ho).view(ho, 1)
    ow = torch.arange(wo).view(1, wo)
    # Accumulate in padded coordinates with non-negative pads only (a negative pad, i.e. a
    # crop, lowered wrongly through torch-mlir: measured), then slice the padding off.
    hp = max(h + 2 * ph, (kh - 1) * dh + ho * sh)
    wp = max(w + 2 * pw, (kw - 1) * dw + wo * sw)
    grad = torch.zeros(*self.shape[:-2], hp, wp, dtype=self.dtype)
    for i in range(kh):
        for j in range(kw):
            target = (oh * sh + i * dh - ph) * w + (ow * sw + j * dw - pw)
            part = torch.where(indices == target, grad_output, 0.0)
            # (.., ho, wo) -> (.., ho*sh, wo*sw): part at [oh*sh, ow*sw], zeros between.
            spread = F.pad(part.unsqueeze(-1).unsqueeze(-3), (0, sw - 1, 0, 0, 0, sh - 1))
            spread = spread.reshape(*part.shape[:-2], ho * sh, wo * sw)
            grad = grad + F.pad(spread, (j * dw, wp - j * dw - wo * sw,
                                         i * dh, hp - i * dh - ho * sh))
    return grad[..., ph:ph + h, pw:pw + w]


def embedding_one_hot(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """aten.embedding as one_hot(indices) @ weight (no index_select: no cf.assert)."""
    return F.one_hot(indices, weight.shape[0]).to(weight.dtype) @ weight


def embedding_dense_backward_one_hot(grad_output, indices, num_weights, padding_idx,
                                     scale_grad_by_freq):
    """aten.embedding_dense_backward as one_hot(indices)^T @ grad (no index_put/scatter)."""
    assert not scale_grad_by_freq
    onehot = F.one_hot(indices.reshape(-1), num_weights).to(grad_output.dtype)
    if padding_idx >= 0:
        onehot = onehot * (indices.reshape(-1, 1) != padding_idx).to(grad_output.dtype)
    return onehot.t() @ grad_output.reshape(-1, grad_output.shape[-1])


def probes():
    x = torch.randn(2, 8, 16)
    yield "layernorm_gelu", nn.Sequential(nn.LayerNorm(16), nn.Linear(16, 16), nn.GELU()), \
        x, torch.randn(2, 8, 16), F.mse_loss
    yield "attention_matmul_softmax", Attn(), x, torch.randn(2, 8, 16), F.mse_loss
    yield "attention_sdpa", Attn(sdpa=True), x, torch.randn(2, 8, 16), F.mse_loss
    yield "embedding_lm_head", Tokens(), torch.randint(0, 32, (2, 8)), \
        torch.randint(0, 32, (2, 8)), lm_loss
    yield "attention_sdpa_math", MathSDPA(sdpa=True), x, torch.randn(2, 8, 16), F.mse_loss
    yield "embedding_onehot", Tokens(one_hot=True), torch.randint(0, 32, (2, 8)), \
        torch.randint(0, 32, (2, 8)), lm_loss
    yield "dropout_p0", nn.Sequential(nn.Linear(16, 16), nn.Dropout(0.0)), x, \
        torch.randn(2, 8, 16), F.mse_loss
    yield "dropout_p0.1", nn.Sequential(nn.Linear(16, 16), nn.Dropout(0.1)), x, \
        torch.randn(2, 8, 16), F.mse_loss
    yield "maxpool", nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.MaxPool2d(2), nn.Flatten(),
                                   nn.Linear(4 * 8 * 8, 10)), \
        torch.randn(2, 3, 16, 16), torch.tensor([1, 2]), F.cross_entropy
    import torchvision
    yield "resnet18", torchvision.models.resnet18(num_classes=10), torch.randn(2, 3, 32, 32), \
        torch.tensor([1, 2]), F.cross_entropy


def main():
    args = [a for a in sys.argv[1:]]
    opts = dict(a[2:].split("=", 1) for a in args if a.startswith("--"))
    args = [a for a in args if not a.startswith("--")]
    out = args[0] if args else "/tmp/spike"
    only = set(args[1:])
    keep = tuple(k for k in opts.get("keep", "").split(",") if k)
    suffix = "".join(f"_keep-{k}" for k in keep) + ("_nll-onehot" if "nll-onehot" in opts else "")
    suffix += "_maxpool-masks" if "maxpool-masks" in opts else ""
    suffix += "_embedding-onehot" if "embedding-onehot" in opts else ""
    if "maxpool-masks" in opts:   # the decomposition against PyTorch's own kernel
        for kps in (((3, 3), (2, 2), (1, 1)), ((2, 2), (2, 2), (0, 0)), ((3, 3), (1, 1), (1, 1))):
            t = torch.randn(2, 3, 9, 10)
            pooled, idx = torch.ops.aten.max_pool2d_with_indices(t, *kps)
            go = torch.randn_like(pooled)
            want = torch.ops.aten.max_pool2d_with_indices_backward(go, t, *kps, (1, 1), False, idx)
            got = max_pool2d_backward_masks(go, t, *kps, (1, 1), False, idx)
            print(f"max_pool2d backward by masks, kernel/stride/pad {kps}: max|diff| "
                  f"{(got - want).abs().max().item():.3e}")
    torch.manual_seed(0)
    paths = []
    for name, model, x, y, loss_fn in probes():
        if only and name not in only:
            continue
        model.train()
        try:
            table = decomp_table("torchmlir", ("nll_loss_backward",) + keep)
            if "maxpool-masks" in opts:
                table[torch.ops.aten.max_pool2d_with_indices_backward.default] = \
                    max_pool2d_backward_masks
            if "embedding-onehot" in opts:
                table[torch.ops.aten.embedding.default] = embedding_one_hot
                table[torch.ops.aten.embedding_dense_backward.default] = \
                    embedding_dense_backward_one_hot
            if "nll-onehot" in opts:
                table[torch.ops.aten.nll_loss_forward.default] = nll_loss_forward_one_hot
            g, *_ = joint_graph(model, x, y, loss_fn, table)
            m = fx.stateless_fx_import(g, output_type="linalg-on-tensors",
                                       model_name=f"{name}_step")
            path = os.path.join(out, f"probe_{name}{suffix}.mlir")
            with open(path, "w") as f:
                f.write(m.operation.get_asm(print_generic_op_form=True))
            paths.append(path)
            print(f"OK {name}")
        except Exception as e:  # noqa: BLE001 - a probe reports every failure
            msg = str(e)
            first = next((ln for ln in msg.splitlines() if "error" in ln), msg.splitlines()[0]
                         if msg else "")
            print(f"FAIL {name}: {type(e).__name__}: {first[:400]}")
    if paths:
        subprocess.run(["/usr/bin/python3", os.path.join(os.path.dirname(__file__),
                                                         "inventory.py")] + paths)


if __name__ == "__main__":
    main()
