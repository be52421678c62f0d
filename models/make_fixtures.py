"""Generate the GLM-4V reference fixtures that the Java engine is tested against.

The fixtures are tiny random checkpoints of the real architecture (``Glm4vForConditionalGeneration``, the class
GLM-4.6V-Flash uses), laid out like the ``zai-org/GLM-4.6V-Flash`` repository, plus reference outputs computed by
transformers: processor outputs, M-RoPE positions, vision-tower activations, prefill logits and greedy tokens.

Run it by hand (never in CI: it needs torch and transformers, see models/requirements-fixtures.txt):

    /work/main/.venv-models/bin/python models/make_fixtures.py            # rewrite src/test/resources/glm4v
    /work/main/.venv-models/bin/python models/make_fixtures.py --bench DIR  # ~78 M-parameter model for benchmarks
    /work/main/.venv-models/bin/python models/check_fixtures.py            # prove the committed files agree

Everything is seeded, so a re-run on the same library versions rewrites byte-identical files (PNG bytes may
change with the zlib version; their pixels do not). Weights are rounded to bf16 and stored as bf16; every
reference is then computed in float32 from those rounded weights with eager attention.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

import transformers
from safetensors.numpy import save_file
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import (
    GenerationConfig,
    Glm4vConfig,
    Glm4vForConditionalGeneration,
    Glm46VProcessor,
    PreTrainedTokenizerFast,
)
from transformers.models.glm46v.image_processing_pil_glm46v import Glm46VImageProcessorPil

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "src" / "test" / "resources" / "glm4v"
TEMPLATE_FILE = Path(__file__).resolve().parent / "glm4v_chat_template.jinja"

# ---------------------------------------------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------------------------------------------

# GLM-4.6V's added tokens, in the order of its tokenizer (151329 = <|endoftext|> ... 151364 = <|video|>).
# Here they follow the small BPE vocabulary, so their ids are small; every id the engine needs is in the files.
SPECIAL_TOKENS = [
    "<|endoftext|>", "[MASK]", "[gMASK]", "[sMASK]", "<sop>", "<eop>",
    "<|system|>", "<|user|>", "<|assistant|>", "<|observation|>",
    "<|begin_of_image|>", "<|end_of_image|>", "<|begin_of_video|>", "<|end_of_video|>",
    "<|begin_of_audio|>", "<|end_of_audio|>", "<|begin_of_transcription|>", "<|end_of_transcription|>",
    "<|code_prefix|>", "<|code_middle|>", "<|code_suffix|>",
    "<think>", "</think>", "<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>",
    "<arg_key>", "</arg_key>", "<arg_value>", "</arg_value>",
    "/nothink", "<|begin_of_box|>", "<|end_of_box|>", "<|image|>", "<|video|>",
]

# The split rule of GLM-4's byte-level BPE (the cl100k pattern), applied before the byte-to-unicode mapping.
SPLIT_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)

# Training text for the fixture tokenizer, written for this project.
CORPUS = """\
A picture is a grid of small squares called pixels. Each pixel has a red, a green and a blue value.
The model looks at the picture in patches. A patch is a square of fourteen by fourteen pixels, and four
patches that sit next to each other are merged into one token. The tokens of the picture go into the
language model together with the words of the question, and the model answers one word at a time.

What shapes are in this picture? There is a red circle on the left, a blue square in the middle and a
green triangle on the right. The circle is larger than the square. The triangle points up. The background
is a light grey page with thin lines. There are three shapes in total, and two of them touch the border.

Compare the two pictures. The first picture shows a yellow badge with a dark outline; part of it is
transparent, so the page shows through. The second picture is grey: it has black and white stripes that
run from the top to the bottom. The first one has more colors than the second one.

Where is the blue square? The blue square is near the top right corner of the wide picture. Below it
there is an orange line, and on the left there is a small purple dot. Name the colors in both images:
red, green, blue, yellow, orange, purple, black, white and grey are the colors we use most often.

You are a careful assistant. Answer briefly and think before you answer. When you are not sure, say so.
Describe a red circle on a white page, then count to three: one, two, three. Count the dots in twelve
rows: there are 12 rows with 4 dots in each row, so there are 48 dots. The page is 100 by 75 pixels.

Hello! Hi there, how can I help you today? I would like to know what is shown in this image, please.
The image shows a small house with a red roof, a green door and two windows. The sky above the house
is blue, and the sun is a yellow circle in the top left corner. A tree with a brown trunk stands next
to the house, and the grass is green. It is a simple drawing, made with a few lines and colors.

The notebook runs Java code in cells. Each cell can show text, tables and images. The model can read
an image from a file or from a URL, and it can point at things in the picture with a box: the box has
four numbers, the left, top, right and bottom edges, each between 0 and 1000. A box around the whole
picture is [0,0,1000,1000]. A box around the left half is [0,0,500,1000].
"""

BPE_VOCAB = 480          # byte alphabet (256) + learned merges
MODEL_VOCAB_PAD = 16     # config vocab_size is the tokenizer size rounded up, as in the real model


def build_tokenizer(corpus: str = CORPUS, bpe_vocab: int = BPE_VOCAB) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(SPLIT_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=bpe_vocab, min_frequency=2, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=[],
    )
    tok.train_from_iterator([corpus], trainer=trainer)
    tok.add_special_tokens(SPECIAL_TOKENS)
    return tok


def special_ids(tok: Tokenizer) -> dict[str, int]:
    return {t: tok.token_to_id(t) for t in SPECIAL_TOKENS}


def padded_vocab(tok: Tokenizer, multiple: int = MODEL_VOCAB_PAD) -> int:
    return -(-tok.get_vocab_size() // multiple) * multiple


def tokenizer_config(model_max_length: int) -> dict:
    # Key set of the transformers-5 tokenizer_config.json that ships with the Glm46V processor family.
    return {
        "backend": "tokenizers",
        "clean_up_tokenization_spaces": False,
        "do_lower_case": False,
        "eos_token": "<|endoftext|>",
        "extra_special_tokens": SPECIAL_TOKENS,
        "model_max_length": model_max_length,
        "pad_token": "<|endoftext|>",
        "padding_side": "left",
        "processor_class": "Glm46VProcessor",
        "remove_space": False,
        "tokenizer_class": "TokenizersBackend",
    }


# ---------------------------------------------------------------------------------------------------------------
# Image processor and test images
# ---------------------------------------------------------------------------------------------------------------

CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


def preprocessor_config(min_pixels: int, max_pixels: int) -> dict:
    # Same keys as GLM-4.6V-Flash's preprocessor_config.json; only the pixel bounds are smaller.
    return {
        "do_convert_rgb": True,
        "do_normalize": True,
        "do_rescale": True,
        "do_resize": True,
        "image_mean": CLIP_MEAN,
        "image_processor_type": "Glm46VImageProcessor",
        "image_std": CLIP_STD,
        "merge_size": 2,
        "patch_size": 14,
        "processor_class": "Glm46VProcessor",
        "resample": 3,
        "rescale_factor": 0.00392156862745098,
        "size": {"longest_edge": max_pixels, "shortest_edge": min_pixels},
        "temporal_patch_size": 2,
    }


# Fixture bounds (pixel counts of the 2-frame resized image, like the real 12544 / 9633792):
# at least 2 and at most 12 merged tokens per image, so every test image stays small.
FIXTURE_MIN_PIXELS = 2 * 28 * 28 * 2      # 3136
FIXTURE_MAX_PIXELS = 2 * 28 * 28 * 12     # 18816
REAL_MIN_PIXELS = 12544
REAL_MAX_PIXELS = 9633792


def _page(size, color=(236, 238, 240)):
    img = Image.new("RGB", size, color)
    d = ImageDraw.Draw(img)
    for y in range(4, size[1], 9):
        d.line([(0, y), (size[0] - 1, y)], fill=(210, 214, 220))
    return img


def draw_test_images() -> dict[str, tuple[Image.Image, str]]:
    """Small deterministic images; each exercises a different branch of the processor."""
    images = {}

    # RGB 60x45: plain rounding to 56x56.
    img = _page((60, 45))
    d = ImageDraw.Draw(img)
    d.ellipse([3, 8, 25, 30], fill=(220, 40, 40), outline=(90, 10, 10))
    d.rectangle([28, 14, 41, 27], fill=(40, 70, 210))
    d.polygon([(44, 36), (58, 36), (51, 20)], fill=(30, 160, 60))
    images["shapes_rgb"] = (img, "RGB 60x45 (WxH), rounds to 56x56 (16 patches)")

    # RGBA 90x50 with graded alpha: exercises alpha compositing onto white.
    img = Image.new("RGBA", (90, 50), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([6, 6, 83, 43], radius=10, fill=(250, 200, 30, 255), outline=(60, 40, 10, 255), width=3)
    for i in range(8):
        d.rectangle([10 + 9 * i, 18, 17 + 9 * i, 31], fill=(30 * i, 90, 200, 32 * i))
    images["badge_rgba"] = (img, "RGBA 90x50 with graded alpha, composited on white, rounds to 84x56 (24 patches)")

    # L 70x40: 70/28 = 2.5 rounds half-to-even to 2 (Math.round would give 3).
    img = Image.new("L", (70, 40), 255)
    d = ImageDraw.Draw(img)
    for x in range(0, 70, 10):
        d.rectangle([x, 0, x + 4, 39], fill=20 + x)
    d.line([(0, 39), (69, 0)], fill=128, width=2)
    images["stripes_l"] = (img, "L (grayscale) 70x40: 70/28 = 2.5 rounds half-to-even to 2, so 56x28 (8 patches)")

    # P 30x30 with a transparent index: below the pixel minimum, scaled up to 56x56.
    img = Image.new("P", (30, 30), 0)
    img.putpalette([255, 0, 255, 200, 30, 30, 30, 30, 200, 250, 250, 250] + [0, 0, 0] * 252)
    d = ImageDraw.Draw(img)
    d.rectangle([2, 2, 27, 27], fill=3)
    d.ellipse([5, 5, 18, 18], fill=1)
    d.rectangle([16, 14, 26, 25], fill=2)
    img.info["transparency"] = 0
    images["small_p"] = (img, "P (palette) 30x30 with a transparent index (tRNS), under min_pixels, grows to 56x56 (16 patches)")

    # RGB 200x120: above the pixel maximum, scaled down to 112x56.
    img = _page((200, 120), (245, 240, 230))
    d = ImageDraw.Draw(img)
    d.rectangle([150, 10, 185, 45], fill=(30, 60, 220))
    d.line([(20, 80), (180, 95)], fill=(240, 130, 20), width=5)
    d.ellipse([10, 40, 22, 52], fill=(130, 40, 160))
    images["wide_rgb"] = (img, "RGB 200x120, over max_pixels, shrinks to 112x56 (32 patches)")

    # RGB 20x26: a side under 28 px, scaled up first, then under min_pixels.
    img = Image.new("RGB", (20, 26), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.rectangle([3, 4, 16, 21], fill=(0, 150, 150))
    d.point([(1, 1), (18, 24)], fill=(255, 0, 0))
    images["tiny_rgb"] = (img, "RGB 20x26, a side below 28 px: scaled by 28/20 to 28x36 (int truncation), then under min_pixels, grows to 56x56 (16 patches)")
    return images


def composite_rgb(img: Image.Image) -> np.ndarray:
    """The processor's convert-to-RGB step, as uint8 HxWx3 (alpha composited on white)."""
    has_alpha = "A" in img.getbands() or img.info.get("transparency") is not None
    if has_alpha:
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.array(Image.alpha_composite(white, rgba).convert("RGB"))
    return np.array(img.convert("RGB"))


# ---------------------------------------------------------------------------------------------------------------
# Model configs
# ---------------------------------------------------------------------------------------------------------------

def glm4v_config(*, vocab, hidden, heads, kv_heads, layers, intermediate, mrope, v_hidden, v_heads, v_depth,
                 image_size, ids) -> Glm4vConfig:
    head_dim = hidden // heads
    assert sum(mrope) * 2 == head_dim // 2, "mrope_section must cover head_dim * partial_rotary_factor / 2"
    assert (v_hidden // v_heads) % 4 == 0, "vision head_dim must split into h and w halves of rotary pairs"
    eos = [ids["<|endoftext|>"], ids["<|user|>"], ids["<|observation|>"]]
    return Glm4vConfig(
        text_config=dict(
            vocab_size=vocab, hidden_size=hidden, intermediate_size=intermediate, num_hidden_layers=layers,
            num_attention_heads=heads, num_key_value_heads=kv_heads, hidden_act="silu", attention_bias=True,
            max_position_embeddings=131072, rms_norm_eps=1e-5,
            rope_parameters={"rope_type": "default", "rope_theta": 500000.0, "partial_rotary_factor": 0.5,
                             "mrope_section": list(mrope)},
            pad_token_id=ids["<|endoftext|>"], eos_token_id=eos, dtype="bfloat16",
        ),
        vision_config=dict(
            depth=v_depth, hidden_size=v_hidden, num_heads=v_heads, out_hidden_size=hidden,
            intermediate_size=intermediate, image_size=image_size, patch_size=14, temporal_patch_size=2,
            spatial_merge_size=2, in_channels=3, hidden_act="silu", attention_bias=False, rms_norm_eps=1e-5,
        ),
        image_token_id=ids["<|image|>"], video_token_id=ids["<|video|>"],
        image_start_token_id=ids["<|begin_of_image|>"], image_end_token_id=ids["<|end_of_image|>"],
        video_start_token_id=ids["<|begin_of_video|>"], video_end_token_id=ids["<|end_of_video|>"],
        tie_word_embeddings=False, dtype="bfloat16",
    )


def tiny_config(spec: dict, tok: Tokenizer) -> Glm4vConfig:
    return glm4v_config(vocab=padded_vocab(tok), ids=special_ids(tok), **{k: v for k, v in spec.items() if k != "seed"})


# Two fixture shapes that differ in every dimension the engine reads from config.json.
TINY = {
    # GQA 2:1, head_dim 32, M-RoPE sections in the real 2:3:3 proportion.
    "tiny-a": dict(
        hidden=128, heads=4, kv_heads=2, layers=2, intermediate=160, mrope=(2, 3, 3),
        v_hidden=64, v_heads=2, v_depth=2, image_size=112,           # 8x8 learned position table
        seed=1000,
    ),
    # GQA 3:1, head_dim 48, unequal h / w sections (a swapped h and w axis changes the logits).
    "tiny-b": dict(
        hidden=144, heads=3, kv_heads=1, layers=3, intermediate=176, mrope=(4, 6, 2),
        v_hidden=48, v_heads=3, v_depth=3, image_size=70,            # 5x5 learned position table
        seed=2000,
    ),
}

BENCH = dict(
    hidden=768, heads=6, kv_heads=2, layers=8, intermediate=2048, mrope=(8, 12, 12),
    v_hidden=512, v_heads=4, v_depth=6, image_size=336,
)


# Prompts. Images are named; "text" parts are literal.
CASES = {
    "tiny-a": [
        dict(name="image_text", enable_thinking=True, vision_detail=True, messages=[
            {"role": "user", "content": [{"type": "image", "image": "shapes_rgb"},
                                         {"type": "text", "text": "What shapes are in this picture?"}]},
        ]),
        dict(name="two_images", enable_thinking=False, messages=[
            {"role": "user", "content": [{"type": "text", "text": "Compare the two pictures: "},
                                         {"type": "image", "image": "badge_rgba"},
                                         {"type": "image", "image": "stripes_l"},
                                         {"type": "text", "text": " Which one has more colors?"}]},
        ]),
        dict(name="text_only", enable_thinking=True, messages=[
            {"role": "system", "content": "You are a careful assistant.\nAnswer briefly."},
            {"role": "user", "content": "Describe a red circle on a white page, then count to 3."},
        ]),
    ],
    "tiny-b": [
        dict(name="image_text", enable_thinking=False, vision_detail=True, messages=[
            {"role": "user", "content": [{"type": "image", "image": "wide_rgb"},
                                         {"type": "text", "text": "Where is the blue square?"}]},
        ]),
        dict(name="two_images", enable_thinking=True, messages=[
            {"role": "user", "content": [{"type": "image", "image": "small_p"},
                                         {"type": "text", "text": " and "},
                                         {"type": "image", "image": "tiny_rgb"},
                                         {"type": "text", "text": " Name the colors in both images."}]},
        ]),
        dict(name="text_only", enable_thinking=False, messages=[
            {"role": "user", "content": "Hello!"},
            {"role": "assistant", "content": "Hi there, how can I help you today?"},
            {"role": "user", "content": "Count the dots in 12 rows, naïvely."},
        ]),
    ],
}

GREEDY_STEPS = 20
MIN_MARGIN = 2e-2       # required gap between the top-1 and top-2 logit at every greedy step
SEED_TRIES = 200

# ---------------------------------------------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------------------------------------------


def init_weights(model: torch.nn.Module, seed: int, scale: float = 1.0, tokenizer_size: int | None = None) -> None:
    """Wide random init so logits spread; norms near 1. Deterministic in parameter-name order.

    lm_head is wider still, so the top-1 / top-2 gap is comfortable. Its rows past the tokenizer (the padding
    of vocab_size, never trained in a real model) are small, so greedy decoding does not pick them.
    """
    g = torch.Generator().manual_seed(seed)
    for name, p in sorted(model.named_parameters(), key=lambda kv: kv[0]):
        with torch.no_grad():
            if name == "lm_head.weight":
                p.copy_(0.5 * scale * torch.randn(p.shape, generator=g))
                if tokenizer_size is not None:
                    p[tokenizer_size:] *= 0.1
            elif "norm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.1 * scale * torch.randn(p.shape, generator=g))
            elif "embed_tokens" in name or "position_embedding" in name:
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.2 * scale * torch.randn(p.shape, generator=g))


def bf16_round(model: torch.nn.Module) -> None:
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.to(torch.bfloat16).to(torch.float32))


def build_model(cfg: Glm4vConfig, seed: int, tokenizer_size: int, scale: float = 1.0) -> Glm4vForConditionalGeneration:
    torch.manual_seed(seed)
    cfg = Glm4vConfig.from_dict(cfg.to_dict())
    cfg._attn_implementation = "eager"
    model = Glm4vForConditionalGeneration(cfg).to(torch.float32)
    init_weights(model, seed, scale, tokenizer_size)
    bf16_round(model)
    model.eval()
    return model


# ---------------------------------------------------------------------------------------------------------------
# Model directory
# ---------------------------------------------------------------------------------------------------------------


def generation_config(ids: dict[str, int]) -> dict:
    # Shape of GLM-4.6V-Flash's generation_config.json: three EOS ids, pad = <|endoftext|>, sampling on.
    # The sampling values are the published LM Studio defaults for the model (third-party, unconfirmed).
    return {
        "do_sample": True,
        "eos_token_id": [ids["<|endoftext|>"], ids["<|user|>"], ids["<|observation|>"]],
        "pad_token_id": ids["<|endoftext|>"],
        "repetition_penalty": 1.1,
        "temperature": 0.8,
        "top_k": 2,
        "top_p": 0.6,
        "transformers_version": transformers.__version__,
    }


def to_json(obj, indent: int = 0) -> str:
    """Indented JSON that keeps lists of numbers on one line, so token-id lists stay readable."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {to_json(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, (list, tuple)):
        if all(isinstance(x, (int, float, bool)) or x is None for x in obj):
            return "[" + ", ".join(json.dumps(x) for x in obj) + "]"
        return "[\n" + ",\n".join(inner + to_json(x, indent + 1) for x in obj) + "\n" + pad + "]"
    return json.dumps(obj, ensure_ascii=False)


def write_json(path: Path, obj) -> None:
    path.write_text(to_json(obj) + "\n", encoding="utf-8")


def write_hf_json(path: Path, obj) -> None:
    """Model-directory files are written the way transformers writes them."""
    path.write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def write_model_dir(out: Path, model, tok: Tokenizer, pre_cfg: dict, max_shard_size: str) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    ids = special_ids(tok)
    bf = Glm4vForConditionalGeneration(model.config)
    bf.load_state_dict(model.state_dict())
    bf = bf.to(torch.bfloat16)
    bf.config.dtype = "bfloat16"
    bf.save_pretrained(out, max_shard_size=max_shard_size)
    for stray in ("generation_config.json",):
        (out / stray).unlink(missing_ok=True)
    write_hf_json(out / "generation_config.json", generation_config(ids))
    write_hf_json(out / "preprocessor_config.json", pre_cfg)
    (out / "tokenizer.json").write_text(tok.to_str(pretty=True) + "\n", encoding="utf-8")
    write_hf_json(out / "tokenizer_config.json",
               tokenizer_config(model.config.text_config.max_position_embeddings))
    shutil.copyfile(TEMPLATE_FILE, out / "chat_template.jinja")


class ImageTextProcessor(Glm46VProcessor):
    """Glm46VProcessor without a video processor (transformers' video processors need torchvision)."""

    def check_argument_for_proper_class(self, argument_name, argument):
        if argument_name == "video_processor" and argument is None:
            return None
        return super().check_argument_for_proper_class(argument_name, argument)


def load_processor(model_dir: Path) -> Glm46VProcessor:
    """The canonical slow (PIL) image processor and the fixture tokenizer, from the model directory."""
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_file=str(model_dir / "tokenizer.json"),
        eos_token="<|endoftext|>", pad_token="<|endoftext|>", padding_side="left",
        extra_special_tokens=SPECIAL_TOKENS,
    )
    pre = json.loads((model_dir / "preprocessor_config.json").read_text())
    image_processor = Glm46VImageProcessorPil(
        size=pre["size"], patch_size=pre["patch_size"], temporal_patch_size=pre["temporal_patch_size"],
        merge_size=pre["merge_size"], image_mean=pre["image_mean"], image_std=pre["image_std"],
        do_rescale=pre["do_rescale"], do_normalize=pre["do_normalize"], do_convert_rgb=pre["do_convert_rgb"],
    )
    template = (model_dir / "chat_template.jinja").read_text(encoding="utf-8")
    return ImageTextProcessor(image_processor=image_processor, tokenizer=tokenizer, chat_template=template)


def load_model(model_dir: Path) -> Glm4vForConditionalGeneration:
    model = Glm4vForConditionalGeneration.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager")
    model.eval()
    return model


# ---------------------------------------------------------------------------------------------------------------
# Reference computation
# ---------------------------------------------------------------------------------------------------------------


def resolve_messages(messages, images: dict[str, Image.Image]):
    """Replace image names by PIL images; return (messages for the template, images in order, names)."""
    out, ordered, names = [], [], []
    for m in messages:
        if isinstance(m["content"], str):
            out.append(dict(m))
            continue
        parts = []
        for p in m["content"]:
            if p["type"] == "image":
                ordered.append(images[p["image"]])
                names.append(p["image"])
                parts.append({"type": "image"})
            else:
                parts.append(dict(p))
        out.append({**m, "content": parts})
    return out, ordered, names


def render_prompt(processor, messages, enable_thinking: bool) -> str:
    return processor.apply_chat_template(messages, tokenize=False, add_generation_prompt=True,
                                         enable_thinking=enable_thinking)


def process(processor, prompt: str, images: list):
    kwargs = {"images": images} if images else {}
    return processor(text=[prompt], return_tensors="pt", **kwargs)


def vision_details(model, pixel_values, grid_thw) -> dict[str, np.ndarray]:
    """Intermediate activations of the vision tower, captured with hooks."""
    visual = model.model.visual
    got = {}
    hooks = [
        visual.patch_embed.register_forward_hook(lambda m, i, o: got.__setitem__("patch_embed", o)),
        visual.post_conv_layernorm.register_forward_hook(lambda m, i, o: got.__setitem__("post_conv_norm", o)),
        visual.embeddings.register_forward_hook(lambda m, i, o: got.__setitem__("embeddings_out", o)),
        visual.blocks[-1].register_forward_hook(lambda m, i, o: got.__setitem__("blocks_out", o)),
        visual.post_layernorm.register_forward_hook(lambda m, i, o: got.__setitem__("post_norm", o)),
    ]
    # The resampled position table is an intermediate of the embeddings module: record grid_sample's output.
    grid_sample = torch.nn.functional.grid_sample

    def recording_grid_sample(*args, **kwargs):
        out = grid_sample(*args, **kwargs)
        got["pos_embed"] = out[0, :, :, 0].permute(1, 0)            # [1, C, N, 1] -> [N, C]
        return out

    torch.nn.functional.grid_sample = recording_grid_sample
    try:
        out = visual(pixel_values, grid_thw=grid_thw, return_dict=True)
    finally:
        torch.nn.functional.grid_sample = grid_sample
        for h in hooks:
            h.remove()
    return {
        "vision_patch_embed": got["patch_embed"],
        "vision_post_conv_norm": got["post_conv_norm"],
        "vision_pos_embed": got["pos_embed"],
        "vision_embeddings_out": got["embeddings_out"],
        "vision_blocks_out": got["blocks_out"],
        "vision_post_norm": got["post_norm"],
        "vision_downsample": out.last_hidden_state,
        "image_embeds": out.pooler_output,
    }


def decoder_layer_outputs(model, inputs) -> torch.Tensor:
    got = []
    hooks = [layer.register_forward_hook(lambda m, i, o: got.append(o[0] if isinstance(o, tuple) else o))
             for layer in model.model.language_model.layers]
    try:
        model(**inputs)
    finally:
        for h in hooks:
            h.remove()
    return torch.stack([g[0] for g in got])          # [layers, seq, hidden]


def greedy(model, inputs, steps: int, eos_ids: list[int]):
    # Plain greedy: the model directory's sampling defaults (top_k, repetition_penalty, ...) must not leak in.
    gen_cfg = GenerationConfig(do_sample=False, max_new_tokens=steps, eos_token_id=eos_ids,
                               pad_token_id=eos_ids[0], num_beams=1, output_logits=True,
                               return_dict_in_generate=True)
    saved = model.generation_config
    model.generation_config = gen_cfg
    try:
        out = model.generate(**inputs, generation_config=gen_cfg)
    finally:
        model.generation_config = saved
    prompt_len = inputs["input_ids"].shape[1]
    tokens = out.sequences[0, prompt_len:].tolist()
    logits = torch.stack([lg[0] for lg in out.logits])   # [steps taken, vocab]
    if tokens != logits.argmax(-1).tolist():
        raise AssertionError("generate() did not pick the argmax of its raw logits: a logits processor is active")
    return tokens, logits


def margins(logits: torch.Tensor) -> list[float]:
    top2 = torch.topk(logits, 2, dim=-1).values
    return (top2[:, 0] - top2[:, 1]).tolist()


def run_case(model, processor, case: dict, images: dict, tokenizer_size: int, eos_ids: list[int]):
    messages, ordered, names = resolve_messages(case["messages"], images)
    prompt = render_prompt(processor, messages, case["enable_thinking"])
    inputs = process(processor, prompt, ordered)
    model_inputs = {k: v for k, v in inputs.items() if k != "token_type_ids"}
    with torch.no_grad():
        prefill = model(**model_inputs).logits[0]                      # [seq, vocab]
        position_ids, rope_deltas = model.model.get_rope_index(
            model_inputs["input_ids"], mm_token_type_ids=model_inputs["mm_token_type_ids"],
            image_grid_thw=model_inputs.get("image_grid_thw"), attention_mask=model_inputs["attention_mask"])
        tokens, step_logits = greedy(model, model_inputs, GREEDY_STEPS, eos_ids)
        layers = decoder_layer_outputs(model, model_inputs)
        vision = (vision_details(model, model_inputs["pixel_values"], model_inputs["image_grid_thw"])
                  if case.get("vision_detail") else {})
    step_margins = margins(step_logits)
    stopped = len(tokens) < GREEDY_STEPS or any(t in eos_ids for t in tokens)
    # A generated <|image|> / <|video|> would be a placeholder without pixels: keep such seeds out of the fixtures.
    media = {model.config.image_token_id, model.config.video_token_id}
    ok = (min(step_margins) > MIN_MARGIN and not stopped and all(t < tokenizer_size and t not in media for t in tokens)
          and len(set(tokens)) >= 3)
    return dict(prompt=prompt, inputs=inputs, prefill=prefill, position_ids=position_ids, rope_deltas=rope_deltas,
                tokens=tokens, step_logits=step_logits, margins=step_margins, stopped=stopped, layers=layers,
                vision=vision, image_names=names, ok=ok)


def choose_seed(name: str, spec: dict, tok: Tokenizer, pre_cfg: dict, images: dict) -> int:
    """First seed whose greedy runs have a comfortable top-1 margin at every step and do not stop early."""
    ids = special_ids(tok)
    cfg = tiny_config(spec, tok)
    eos = generation_config(ids)["eos_token_id"]
    with tempfile.TemporaryDirectory() as tmp:
        write_model_dir(Path(tmp), build_model(cfg, spec["seed"], tok.get_vocab_size()), tok, pre_cfg, "10MB")
        processor = load_processor(Path(tmp))
    for seed in range(spec["seed"], spec["seed"] + SEED_TRIES):
        model = build_model(cfg, seed, tok.get_vocab_size())
        results = [run_case(model, processor, c, images, tok.get_vocab_size(), eos) for c in CASES[name]]
        worst = min(min(r["margins"]) for r in results)
        print(f"  {name} seed {seed}: min margin {worst:.4f}, ok={[r['ok'] for r in results]}", flush=True)
        if all(r["ok"] for r in results):
            return seed
    raise SystemExit(f"no seed in {SEED_TRIES} tries gives margins > {MIN_MARGIN} for {name}")


def f32(t) -> np.ndarray:
    if isinstance(t, torch.Tensor):
        t = t.detach().to(torch.float32).cpu().numpy()
    return np.ascontiguousarray(t, dtype="<f4")


def write_case(ref_dir: Path, case: dict, r: dict, model_name: str) -> dict:
    inputs = r["inputs"]
    # pixel_values are not repeated here: they are the rows of images/<name>.safetensors, concatenated in order.
    arrays = {
        "prefill_logits": f32(r["prefill"]),
        "step_logits": f32(r["step_logits"]),
    }
    if case.get("vision_detail"):
        arrays["decoder_layer_outputs"] = f32(r["layers"])
    for k, v in r["vision"].items():
        arrays[k] = f32(v)
    save_file(arrays, str(ref_dir / f"{case['name']}.safetensors"), metadata={"format": "np"})

    first = r["step_logits"][0]
    top5 = torch.topk(first, 5)
    seq = inputs["input_ids"].shape[1]
    meta = {
        "case": case["name"],
        "model": model_name,
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
        "image_processor": "Glm46VImageProcessorPil (slow PIL path, same code as Glm4vImageProcessorPil)",
        "compute_dtype": "float32 from bf16-rounded weights, eager attention",
        "enable_thinking": case["enable_thinking"],
        "messages": case["messages"],
        "images": r["image_names"],
        "pixel_values": "rows of images/<name>.safetensors:pixel_values for each name in 'images', concatenated",
        "prompt": r["prompt"],
        "input_ids": inputs["input_ids"][0].tolist(),
        "attention_mask": inputs["attention_mask"][0].tolist(),
        "mm_token_type_ids": inputs["mm_token_type_ids"][0].tolist(),
        "image_grid_thw": inputs["image_grid_thw"].tolist() if "image_grid_thw" in inputs else [],
        "position_ids": r["position_ids"][:, 0, :].tolist(),
        "rope_deltas": int(r["rope_deltas"].view(-1)[0]),
        "seq_len": seq,
        "first_step_top5": {"ids": top5.indices.tolist(), "logits": top5.values.tolist()},
        "greedy_tokens": r["tokens"],
        "greedy_margins": r["margins"],
        "min_greedy_margin": min(r["margins"]),
        "stopped_on_eos": r["stopped"],
        "arrays": {k: {"dtype": "F32", "shape": list(v.shape)} for k, v in arrays.items()},
    }
    write_json(ref_dir / f"{case['name']}.json", meta)
    return meta


def normalize(rgb: np.ndarray) -> np.ndarray:
    """uint8 HxWx3 -> float32 3xHxW, as the PIL processor does it: x/255 in float64, cast, then (x-mean)/std in float32."""
    x = (rgb.astype(np.float64) * (1 / 255)).astype(np.float32).transpose(2, 0, 1)
    mean = np.array(CLIP_MEAN, dtype=np.float32)[:, None, None]
    std = np.array(CLIP_STD, dtype=np.float32)[:, None, None]
    return (x - mean) / std


def patchify(chw: np.ndarray, patch: int = 14, merge: int = 2, temporal: int = 2) -> np.ndarray:
    """3xHxW -> [patches, 3*2*14*14]: 2x2 merge blocks in raster order, each row laid out [C, t, ph, pw]."""
    c, h, w = chw.shape
    gh, gw = h // patch, w // patch
    x = chw.reshape(c, gh // merge, merge, patch, gw // merge, merge, patch).transpose(1, 4, 2, 5, 0, 3, 6)
    x = np.repeat(x[:, :, :, :, :, None], temporal, axis=5)
    return np.ascontiguousarray(x.reshape(gh * gw, c * temporal * patch * patch), dtype=np.float32)


def save_images(img_dir: Path, drawn: dict) -> dict[str, Image.Image]:
    """Write the PNGs and read them back: every reference is computed from what a reader of the file sees."""
    img_dir.mkdir(parents=True, exist_ok=True)
    loaded = {}
    for name, (img, _) in drawn.items():
        img.save(img_dir / f"{name}.png", optimize=False, compress_level=9)
        png = Image.open(img_dir / f"{name}.png")
        png.load()
        loaded[name] = png
    return loaded


def write_image_fixtures(img_dir: Path, drawn: dict, images: dict[str, Image.Image], processor) -> dict:
    summary = {}
    for name, (_, note) in drawn.items():
        png = images[name]
        out = processor.image_processor(images=[png], return_tensors="pt")
        grid = out["image_grid_thw"][0].tolist()
        rgb = composite_rgb(png)
        resized = np.array(Image.fromarray(rgb).resize((grid[2] * 14, grid[1] * 14), Image.Resampling.BICUBIC))
        arrays = {"rgb": np.ascontiguousarray(rgb, dtype=np.uint8),
                  "resized_rgb": np.ascontiguousarray(resized, dtype=np.uint8),
                  "pixel_values": f32(out["pixel_values"])}
        # The stored intermediate images must explain pixel_values exactly (rescale, normalise, patchify).
        if not np.array_equal(patchify(normalize(resized)), arrays["pixel_values"]):
            raise AssertionError(f"{name}: resized_rgb does not reproduce the processor's pixel_values")
        save_file(arrays, str(img_dir / f"{name}.safetensors"), metadata={"format": "np"})
        meta = {
            "image": f"{name}.png", "note": note, "mode": png.mode, "width": png.width, "height": png.height,
            "has_transparency": "A" in png.getbands() or png.info.get("transparency") is not None,
            "resized_width": grid[2] * 14, "resized_height": grid[1] * 14,
            "image_grid_thw": grid, "num_patches": grid[0] * grid[1] * grid[2],
            "num_image_tokens": grid[0] * grid[1] * grid[2] // 4,
            "arrays": {k: {"dtype": "U8" if v.dtype == np.uint8 else "F32", "shape": list(v.shape)}
                       for k, v in arrays.items()},
        }
        write_json(img_dir / f"{name}.json", meta)
        summary[name] = meta
    return summary


# Template-only cases for the chat formatter (no model involved).
TEMPLATE_CASES = [
    dict(name="image_then_text", enable_thinking=None, messages=[
        {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "What is this?"}]}]),
    dict(name="image_then_text_nothink", enable_thinking=False, messages=[
        {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "What is this?"}]}]),
    dict(name="system_and_history", enable_thinking=True, messages=[
        {"role": "system", "content": "You are a careful assistant."},
        {"role": "user", "content": "Hello!"},
        {"role": "assistant", "content": "<think>\nThe user greets me.\n</think>\nHi there."},
        {"role": "user", "content": [{"type": "text", "text": "Look: "}, {"type": "image"},
                                     {"type": "text", "text": " and "}, {"type": "image"}]}]),
    dict(name="system_and_history_nothink", enable_thinking=False, messages=[
        {"role": "system", "content": "You are a careful assistant."},
        {"role": "user", "content": "Hello!"},
        {"role": "assistant", "content": "Hi there."},
        {"role": "user", "content": "Count to 3. /nothink"}]),
    dict(name="reasoning_after_last_user", enable_thinking=True, messages=[
        {"role": "user", "content": "Where is the box?"},
        {"role": "assistant", "content": "It is <|begin_of_box|>[10,20,500,600]<|end_of_box|>.",
         "reasoning_content": "  Look at the left half. "}]),
    dict(name="video_part", enable_thinking=True, messages=[
        {"role": "user", "content": [{"type": "video"}, {"type": "text", "text": "What happens?"}]}]),
]

TOKENIZER_STRINGS = [
    "Hello world",
    "What shapes are in this picture?",
    "Count the dots in 12 rows: 12345 and 48.",
    "naïve café — ok",
    "line one\nline two\n\n  indented\ttab",
    "[gMASK]<sop><|user|>\nHi<|assistant|>\n<think></think>\n",
    "box <|begin_of_box|>[0,0,1000,1000]<|end_of_box|> done",
    "/nothink and <think> tags </think>",
    "",
]


def write_template_and_tokenizer_cases(out: Path, processor, tok: Tokenizer) -> None:
    cases = []
    for c in TEMPLATE_CASES:
        kw = {} if c["enable_thinking"] is None else {"enable_thinking": c["enable_thinking"]}
        text = processor.apply_chat_template(c["messages"], tokenize=False, add_generation_prompt=True, **kw)
        cases.append({**c, "add_generation_prompt": True, "rendered": text,
                      "input_ids": tok.encode(text, add_special_tokens=False).ids})
    write_json(out / "chat_template_cases.json", {"template": "model/chat_template.jinja", "cases": cases})
    toks = []
    for s in TOKENIZER_STRINGS:
        enc = tok.encode(s, add_special_tokens=False)
        toks.append({"text": s, "ids": enc.ids, "tokens": enc.tokens,
                     "decoded": tok.decode(enc.ids, skip_special_tokens=False),
                     "decoded_skip_special": tok.decode(enc.ids, skip_special_tokens=True)})
    write_json(out / "tokenizer_cases.json", {"vocab_size": tok.get_vocab_size(), "special_tokens": special_ids(tok),
                                              "cases": toks})


# ---------------------------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------------------------


def make_fixtures() -> None:
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    tok = build_tokenizer()
    ids = special_ids(tok)
    pre_cfg = preprocessor_config(FIXTURE_MIN_PIXELS, FIXTURE_MAX_PIXELS)
    drawn = draw_test_images()

    FIXTURES.mkdir(parents=True, exist_ok=True)
    for stale in ("tiny-a", "tiny-b", "images"):
        shutil.rmtree(FIXTURES / stale, ignore_errors=True)

    img_dir = FIXTURES / "images"
    images = save_images(img_dir, drawn)

    summary = {"transformers_version": transformers.__version__, "torch_version": torch.__version__,
               "special_tokens": ids, "tokenizer_size": tok.get_vocab_size(), "configs": {}}
    for name, spec in TINY.items():
        print(f"[{name}] choosing a seed", flush=True)
        seed = choose_seed(name, spec, tok, pre_cfg, images)
        cfg = tiny_config(spec, tok)
        model_dir = FIXTURES / name / "model"
        write_model_dir(model_dir, build_model(cfg, seed, tok.get_vocab_size()), tok, pre_cfg, "400KB")

        # All references come from the directory as written: bf16 weights read back as float32.
        model = load_model(model_dir)
        processor = load_processor(model_dir)
        eos = generation_config(ids)["eos_token_id"]
        ref_dir = FIXTURES / name / "reference"
        ref_dir.mkdir(parents=True)
        cases = {}
        for case in CASES[name]:
            r = run_case(model, processor, case, images, tok.get_vocab_size(), eos)
            if not r["ok"]:
                raise SystemExit(f"{name}/{case['name']}: reloaded model no longer meets the margin rule")
            meta = write_case(ref_dir, case, r, name)
            cases[case["name"]] = {"min_greedy_margin": meta["min_greedy_margin"], "seq_len": meta["seq_len"],
                                   "images": meta["images"], "enable_thinking": case["enable_thinking"]}
        n_params = sum(p.numel() for p in model.parameters())
        summary["configs"][name] = {"seed": seed, "parameters": n_params, "cases": cases}
        print(f"[{name}] seed {seed}, {n_params} parameters, cases {cases}", flush=True)

    processor = load_processor(FIXTURES / "tiny-a" / "model")
    summary["images"] = write_image_fixtures(img_dir, drawn, images, processor)
    write_template_and_tokenizer_cases(FIXTURES, processor, tok)
    write_json(FIXTURES / "manifest.json", summary)


def make_bf16_references() -> None:
    """transformers in bfloat16 (weights as stored, eager attention, CPU) on the existing fixture models and cases:
    prefill and greedy-step logits, greedy tokens and their margins, into <model>/reference-bf16/. The float32
    references are left as they are."""
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    images = {p.stem: Image.open(p) for p in sorted((FIXTURES / "images").glob("*.png"))}
    manifest = json.loads((FIXTURES / "manifest.json").read_text())
    eos = generation_config(manifest["special_tokens"])["eos_token_id"]
    for name in TINY:
        model_dir = FIXTURES / name / "model"
        model = Glm4vForConditionalGeneration.from_pretrained(model_dir, dtype=torch.bfloat16,
                                                              attn_implementation="eager").eval()
        processor = load_processor(model_dir)
        ref_dir = FIXTURES / name / "reference-bf16"
        shutil.rmtree(ref_dir, ignore_errors=True)
        ref_dir.mkdir(parents=True)
        for case in CASES[name]:
            messages, ordered, names = resolve_messages(case["messages"], images)
            inputs = process(processor, render_prompt(processor, messages, case["enable_thinking"]), ordered)
            model_inputs = {k: v for k, v in inputs.items() if k != "token_type_ids"}
            with torch.no_grad():
                prefill = model(**model_inputs).logits[0]
                tokens, step_logits = greedy(model, model_inputs, GREEDY_STEPS, eos)
            fp32_meta = json.loads((FIXTURES / name / "reference" / f"{case['name']}.json").read_text())
            if inputs["input_ids"][0].tolist() != fp32_meta["input_ids"]:
                raise SystemExit(f"{name}/{case['name']}: the prompt no longer matches the float32 reference")
            arrays = {"prefill_logits": f32(prefill), "step_logits": f32(step_logits)}
            save_file(arrays, str(ref_dir / f"{case['name']}.safetensors"), metadata={"format": "np"})
            step_margins = margins(step_logits.float())
            write_json(ref_dir / f"{case['name']}.json", {
                "case": case["name"], "model": name, "transformers_version": transformers.__version__,
                "torch_version": torch.__version__,
                "compute_dtype": "bfloat16 weights and activations (transformers' own upcasts), eager attention, CPU",
                "greedy_tokens": tokens, "greedy_margins": step_margins,
                "float32_greedy_tokens": fp32_meta["greedy_tokens"],
                "arrays": {k: {"dtype": "F32", "shape": list(v.shape)} for k, v in arrays.items()},
            })
            same = next((i for i, (a, b) in enumerate(zip(tokens, fp32_meta["greedy_tokens"])) if a != b), len(tokens))
            print(f"[{name}/{case['name']}] min bf16 margin {min(step_margins):.3f}; the float32 greedy tokens "
                  f"agree for {same} of {len(tokens)} steps", flush=True)


def bench_corpus() -> str:
    """A larger deterministic English-ish corpus for a few-thousand-token vocabulary: stdlib docstrings."""
    import collections, email, http, json as js, logging, pathlib, string, textwrap, unittest, argparse as ap
    texts = [CORPUS]
    for mod in (collections, email, http, js, logging, pathlib, string, textwrap, unittest, ap, os, math):
        for obj in vars(mod).values():
            doc = getattr(obj, "__doc__", None)
            if isinstance(doc, str):
                texts.append(doc)
    return "\n".join(sorted(set(texts)))


def make_bench(out: Path) -> None:
    tok = build_tokenizer(bench_corpus(), bpe_vocab=4096)
    vocab = padded_vocab(tok, 256)
    cfg = glm4v_config(vocab=vocab, ids=special_ids(tok), **BENCH)
    # Narrower init than the fixtures: deep stacks would otherwise saturate.
    model = build_model(cfg, 4242, tok.get_vocab_size(), scale=0.25)
    write_model_dir(out, model, tok, preprocessor_config(REAL_MIN_PIXELS, REAL_MAX_PIXELS), "100MB")
    n = sum(p.numel() for p in model.parameters())
    print(f"bench model: {n / 1e6:.1f} M parameters, vocab {vocab} (tokenizer {tok.get_vocab_size()}) -> {out}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", metavar="DIR", type=Path,
                        help="write a ~78 M-parameter benchmark model to DIR (outside git) instead of the fixtures")
    parser.add_argument("--bf16", action="store_true",
                        help="add transformers-bfloat16 references to the existing fixtures (reference-bf16/)")
    args = parser.parse_args(argv)
    if args.bf16:
        make_bf16_references()
    elif args.bench:
        make_bench(args.bench)
    else:
        make_fixtures()


if __name__ == "__main__":
    sys.exit(main())
