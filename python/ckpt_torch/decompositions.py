"""The decomposition table of the front end (the spike: docs/pytorch.md).

torch-mlir's `get_decomposition_table()` less `nll_loss_backward` (torch-mlir's
TorchToLinalg lowers it; its Python decomposition is a scatter, `tm_tensor.scatter`),
plus PyTorch-level decompositions of ours that keep the lowering inside upstream MLIR:
`nll_loss_forward` as a one-hot product (no gather, so no `cf.assert`),
`embedding` and `embedding_dense_backward` as one-hot matmuls (no gather, no
`tm_tensor.scatter`) and `max_pool2d_with_indices_backward` with masks and non-negative
pads (no scatter).
"""
import torch
import torch.nn.functional as F
from torch_mlir.extras.fx_decomp_util import get_decomposition_table

aten = torch.ops.aten


def nll_loss_forward_one_hot(self, target, weight, reduction, ignore_index):
    """aten.nll_loss_forward as a one-hot (iota == target) product. reduction mean/sum."""
    if weight is not None or self.dim() != 2:
        raise NotImplementedError("ckpt: nll_loss with class weights or inputs not 2-d")
    valid = target != ignore_index
    onehot = F.one_hot(torch.where(valid, target, 0), self.shape[1]).to(self.dtype)
    picked = -(self * onehot).sum(1) * valid.to(self.dtype)
    total = valid.to(self.dtype).sum()
    out = picked.sum() / total if reduction == 1 else picked.sum()
    return out, total


def embedding_one_hot(weight, indices, padding_idx=-1, scale_grad_by_freq=False,
                      sparse=False):
    """aten.embedding as one_hot(indices) @ weight: (..., n) x (n, d) -> (..., d). Bit for
    bit the rows of `weight` (each output element is one product by 1.0 plus zeros); it
    costs n times the FLOPs of a gather, which is what keeps it inside linalg."""
    onehot = F.one_hot(indices, weight.shape[0]).to(weight.dtype)
    return onehot @ weight


def embedding_dense_backward_one_hot(grad_output, indices, num_weights, padding_idx,
                                     scale_grad_by_freq):
    """aten.embedding_dense_backward as one_hot(indices)^T @ grad_output: (n, m) x (m, d)
    -> (n, d), rows of `padding_idx` zero, as PyTorch's. The sum over the positions that
    share a token runs in the matmul's order, not the index_put's (float32 rounding)."""
    if scale_grad_by_freq:
        raise NotImplementedError("ckpt: nn.Embedding(scale_grad_by_freq=True)")
    flat = indices.reshape(-1)
    onehot = F.one_hot(flat, num_weights).to(grad_output.dtype)
    if padding_idx >= 0:
        onehot = onehot * (flat != padding_idx).to(grad_output.dtype).unsqueeze(1)
    return onehot.t() @ grad_output.reshape(flat.shape[0], -1)


def max_pool2d_backward_masks(grad_output, self, kernel_size, stride, padding, dilation,
                              ceil_mode, indices):
    """aten.max_pool2d_with_indices_backward without a scatter: per kernel offset, the
    gradient of the outputs whose argmax is that offset, spread to the strided input
    positions, padded (non-negative pads only) to the padded input, summed, and sliced."""
    kh, kw = kernel_size if len(kernel_size) == 2 else 2 * list(kernel_size)
    sh, sw = (stride if len(stride) == 2 else 2 * list(stride)) if stride else (kh, kw)
    ph, pw = padding if len(padding) == 2 else 2 * list(padding)
    dh, dw = dilation if len(dilation) == 2 else 2 * list(dilation)
    h, w = self.shape[-2:]
    ho, wo = grad_output.shape[-2:]
    oh = torch.arange(ho).view(ho, 1)
    ow = torch.arange(wo).view(1, wo)
    hp = max(h + 2 * ph, (kh - 1) * dh + ho * sh)
    wp = max(w + 2 * pw, (kw - 1) * dw + wo * sw)
    grad = torch.zeros(*self.shape[:-2], hp, wp, dtype=self.dtype)
    for i in range(kh):
        for j in range(kw):
            target = (oh * sh + i * dh - ph) * w + (ow * sw + j * dw - pw)
            part = torch.where(indices == target, grad_output, 0.0)
            spread = F.pad(part.unsqueeze(-1).unsqueeze(-3), (0, sw - 1, 0, 0, 0, sh - 1))
            spread = spread.reshape(*part.shape[:-2], ho * sh, wo * sw)
            grad = grad + F.pad(spread, (j * dw, wp - j * dw - wo * sw,
                                         i * dh, hp - i * dh - ho * sh))
    return grad[..., ph:ph + h, pw:pw + w]


def decomposition_table():
    table = {k: v for k, v in get_decomposition_table().items()
             if k._overloadpacket.__name__ != "nll_loss_backward"}
    table[aten.nll_loss_forward.default] = nll_loss_forward_one_hot
    table[aten.embedding.default] = embedding_one_hot
    table[aten.embedding_dense_backward.default] = embedding_dense_backward_one_hot
    table[aten.max_pool2d_with_indices_backward.default] = max_pool2d_backward_masks
    return table
