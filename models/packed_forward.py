"""A training-speed forward pass through transformers' ``Glm4vForConditionalGeneration``, on packed batches.

The model's own forward runs the vision tower's attention image by image and the decoder on one conversation per
row. Training glimpse-tiny on two CPU cores needs the matrices large: here the images of a batch share one size,
so the vision tower runs as one ``[images, patches, hidden]`` tensor, and the questions about an image are packed
after one copy of its image tokens, each question seeing the image and itself only (a block mask), with the
positions it would have had alone. The parameters and sub-modules are the model's own (``q_proj``, ``norm1``,
``merger``, ...); ``check_against_model`` compares the result with the model's forward on the unpacked questions.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from transformers import Glm4vForConditionalGeneration
from transformers.models.glm4v.modeling_glm4v import apply_rotary_pos_emb, apply_rotary_pos_emb_vision
from transformers.vision_utils import get_vision_position_ids


@dataclass
class PackedBatch:
    """Images of one size and, per image, its prefix and questions packed in one row.

    pixel_values: [images, patches, 1176]; grid: (1, gh, gw) of every image; input_ids: [images, length];
    position_ids: [3, images, length]; segment: [images, length] (0 = the shared prefix, k = question k, -1 =
    padding); labels: [images, length] (-100 where nothing is predicted; the id the position predicts otherwise).
    """

    pixel_values: torch.Tensor
    grid: tuple[int, int, int]
    input_ids: torch.Tensor
    position_ids: torch.Tensor
    segment: torch.Tensor
    labels: torch.Tensor

    def attention_mask(self) -> torch.Tensor:
        """[images, 1, length, length] bool: causal, and a question sees the prefix and itself only."""
        seg = self.segment
        n = seg.shape[1]
        causal = torch.ones(n, n, dtype=torch.bool).tril()
        same = (seg[:, :, None] == seg[:, None, :]) | (seg[:, None, :] == 0)
        return (causal & same)[:, None]


@dataclass
class ForwardOut:
    vision_patches: torch.Tensor      # [images, patches, v_hidden]   after post_layernorm, block order
    image_tokens: torch.Tensor        # [images, tokens, hidden]       the merger's output, as the decoder sees it
    hidden: list[torch.Tensor]        # decoder residual stream after each layer: [images, length, hidden]
    attention: dict[int, torch.Tensor]  # layer -> [images, heads, length, length] probabilities (requested only)
    final: torch.Tensor               # after the final norm: [images, length, hidden]


def vision_forward(model: Glm4vForConditionalGeneration, pixel_values: torch.Tensor, grid) -> tuple[torch.Tensor,
                                                                                                    torch.Tensor]:
    """Glm4vVisionModel.forward for images of one size: (patches after post_layernorm, merged tokens)."""
    vis = model.model.visual
    b, n, _ = pixel_values.shape
    grid_thw = torch.tensor([list(grid)])
    # Conv3d with kernel = stride = the whole patch is a linear map of the flattened [C, t, ph, pw] row; as one
    # matrix product it is several times faster on the CPU, forward and backward.
    proj = vis.patch_embed.proj
    x = F.linear(pixel_values.reshape(b * n, -1).to(proj.weight.dtype), proj.weight.view(proj.out_channels, -1),
                 proj.bias)
    x = vis.post_conv_layernorm(x)
    pos_ids = get_vision_position_ids(grid_thw, vis.spatial_merge_size)
    cos, sin = vis.rotary_pos_emb(x[:n], pos_ids)
    d = x.shape[-1]
    pos = vis.embeddings(torch.zeros(n, d, dtype=x.dtype), torch.tensor([n]), grid_thw, pos_ids[:, 0], pos_ids[:, 1])
    x = x.view(b, n, d) + pos
    for blk in vis.blocks:
        h = blk.norm1(x)
        heads = blk.attn.num_heads
        q, k, v = blk.attn.qkv(h).view(b, n, 3, heads, -1).unbind(2)
        q, k = apply_rotary_pos_emb_vision(q, k, cos, sin)
        o = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2),
                                           scale=blk.attn.scaling)
        x = x + blk.attn.proj(o.transpose(1, 2).reshape(b, n, d))
        x = x + blk.mlp(blk.norm2(x))
    x = vis.post_layernorm(x)
    m = vis.spatial_merge_size
    t = x.reshape(-1, m, m, d).permute(0, 3, 1, 2).reshape(-1, d * m * m)     # as the Conv2d reads each block
    down = vis.downsample
    t = F.linear(t, down.weight.view(down.out_channels, -1), down.bias).view(b, n // (m * m), -1)
    return x, vis.merger(t)


def forward(model: Glm4vForConditionalGeneration, batch: PackedBatch, attention_layers=()) -> ForwardOut:
    """The packed forward. ``attention_layers``: decoder layers whose attention probabilities are returned (they
    are computed explicitly there; other layers use SDPA)."""
    patches, tokens = vision_forward(model, batch.pixel_values, batch.grid)
    lm = model.model.language_model
    x = lm.embed_tokens(batch.input_ids)
    image = batch.input_ids == model.config.image_token_id
    x = x.masked_scatter(image[..., None], tokens.to(x.dtype))
    cos, sin = lm.rotary_emb(x, batch.position_ids)
    mask = batch.attention_mask()
    hidden, attention = [], {}
    b, n, _ = x.shape
    for i, layer in enumerate(lm.layers):
        att = layer.self_attn
        h = layer.input_layernorm(x)
        q = att.q_proj(h).view(b, n, -1, att.head_dim).transpose(1, 2)
        k = att.k_proj(h).view(b, n, -1, att.head_dim).transpose(1, 2)
        v = att.v_proj(h).view(b, n, -1, att.head_dim).transpose(1, 2)
        q, k = apply_rotary_pos_emb(q, k, cos, sin)
        groups = att.num_key_value_groups
        if groups > 1:
            k = k.repeat_interleave(groups, dim=1)
            v = v.repeat_interleave(groups, dim=1)
        if i in attention_layers:
            scores = (q @ k.transpose(-1, -2)) * att.scaling
            scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
            p = scores.softmax(-1)
            attention[i] = p
            o = p @ v
        else:
            o = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=att.scaling)
        o = att.o_proj(o.transpose(1, 2).reshape(b, n, -1))
        x = x + layer.post_self_attn_layernorm(o)
        x = x + layer.post_mlp_layernorm(layer.mlp(layer.post_attention_layernorm(x)))
        hidden.append(x)
    return ForwardOut(patches, tokens, hidden, attention, lm.norm(x))


def logits_at(model: Glm4vForConditionalGeneration, out: ForwardOut, where: torch.Tensor) -> torch.Tensor:
    """lm_head on the positions where ``where`` ([images, length] bool) is true, in row-major order."""
    return model.lm_head(out.final[where])


@torch.no_grad()
def check_against_model(model: Glm4vForConditionalGeneration, batch: PackedBatch, rows: list[dict],
                        tolerance: float = 2e-3) -> float:
    """Largest |difference| between the packed forward's logits and the model's own forward on each question
    alone (``rows``: for every (image, question) of the batch, the processor's inputs of the unpacked
    conversation and the positions in the packed row that correspond to its tokens). Raises if above
    ``tolerance``: the packed forward must compute what the model computes."""
    was_training = model.training
    model.eval()
    out = forward(model, batch)
    packed = model.lm_head(out.final)
    worst = 0.0
    for r in rows:
        ref = model(**r["inputs"]).logits[0]
        got = packed[r["image"], r["positions"]]
        worst = max(worst, (ref - got).abs().max().item())
    model.train(was_training)
    if worst > tolerance:
        raise AssertionError(f"packed forward differs from Glm4vForConditionalGeneration by {worst:.2e} "
                             f"(tolerance {tolerance:.0e})")
    return worst
