"""glimpse-tiny: a small GLM-4V (``Glm4vForConditionalGeneration``) for the synthetic scenes of ``models/scenes``.

Shared by ``train_glimpse_tiny.py`` and ``eval_glimpse_tiny.py``: the architecture, the domain tokenizer (GLM-4.6V's
36 special tokens after a small byte-level BPE), the model-directory files, the processor (transformers' PIL image
processor and the real chat template, as ``make_fixtures.py`` uses them), conversation encoding for training, and
greedy answering.
"""

from __future__ import annotations

import json
import math
import random
import shutil
from pathlib import Path

import torch
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

import transformers
from transformers import GenerationConfig, Glm4vForConditionalGeneration

from make_fixtures import (  # noqa: F401  (load_processor is re-exported for the other scripts)
    SPECIAL_TOKENS,
    SPLIT_PATTERN,
    TEMPLATE_FILE,
    glm4v_config,
    load_processor,
    preprocessor_config,
    special_ids,
    tokenizer_config,
    write_hf_json,
)
from scenes.questions import PARAPHRASES, article
from scenes.render import COLOURS, SHAPES

MODELS = Path(__file__).resolve().parent
DEFAULT_OUT = MODELS / "glimpse-tiny"

# ---------------------------------------------------------------------------------------------------------------
# Architecture
# ---------------------------------------------------------------------------------------------------------------

ARCH = dict(
    hidden=320, heads=5, kv_heads=5, layers=4, intermediate=896, mrope=(4, 6, 6),   # head_dim 64, 32 rotary dims
    v_hidden=256, v_heads=4, v_depth=5, image_size=224,                             # 16x16 position table
)

# Pixel-count bounds of the 2-frame resized image (GLM-4.6V: 12544 / 9633792). 224x224 stays 224x224 (64 image
# tokens); 160 px grows to 196 px (49 tokens) and 320 px shrinks to 252 px (81 tokens). The bounds sit between
# multiples of 28 so that no image of 160-320 px lands exactly on a rounding edge.
MIN_PIXELS = 76000
MAX_PIXELS = 128000

BPE_VOCAB = 512          # byte alphabet (256) + merges learned from the domain text below
VOCAB_MULTIPLE = 64      # config vocab_size = tokenizer size rounded up, as in the real model
MAX_NEW_TOKENS = 64      # the longest answer (4 shapes and a 6-letter word) is about 40 tokens


# ---------------------------------------------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------------------------------------------

# Everyday text for the merges of words outside the domain. One sentence per string: capitals only start a string,
# so no merge ever joins a space to a capital letter or two capitals (a word like CAT stays C, A, T).
GENERAL_TEXT = [
    "Please tell me about this picture.", "Is this a photo or a drawing?", "Where is the object in the image?",
    "Answer the question in one word.", "Thank you very much for the answer.", "Hello, how are you today?",
    "Which one is bigger, the left one or the right one?", "There are some things on a white background.",
    "Name the colors that you can see.", "What is the name of this thing?", "Look at the image and answer.",
    "The image shows simple shapes and sometimes a short word written in black letters.",
    "Give a short answer, please.", "Why is the sky blue?", "Where are they and what are they doing?",
    "Count the objects from left to right.", "What is the number of things in the picture?",
    "Can you see any text or letters here?", "Is it small or large, light or dark?",
    "Are there more circles than squares?", "Which color appears most often?", "Tell me more about it.",
    "Write a sentence that describes the scene.", "What is at the top and what is at the bottom?",
    "Compare the two shapes and say which is on the left side.", "Is something present in the middle?",
]


def tokenizer_corpus() -> list[str]:
    rng = random.Random(0)
    lines = list(GENERAL_TEXT)
    for qtype, pools in PARAPHRASES.items():
        for template in pools["train"]:
            for shape in SHAPES:
                for side in ("left", "right"):
                    q = template.format(shape=shape, side=side)
                    lines += [q, q[0].lower() + q[1:]]
    for _ in range(400):
        items = [f"{article(c)} {c} {s}" for c, s in
                 ((rng.choice(list(COLOURS)), rng.choice(SHAPES)) for _ in range(rng.randint(1, 4)))]
        if rng.random() < 0.5:
            items.append("the word")
        lines.append(items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1])
    # One-word answers stand alone after "\n": repeated so that each is one token there too ("purple", not
    # "p" + "urple"), and the first token of an answer already says which answer it is.
    lines += (list(COLOURS) + list(SHAPES) + ["yes", "no", "1", "2", "3", "4"]) * 4
    return lines


def build_tokenizer() -> Tokenizer:
    """Byte-level BPE with GLM-4's pre-tokenizer (as the fixtures), then GLM-4.6V's special tokens in order."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(SPLIT_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=BPE_VOCAB, min_frequency=2, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=[])
    tok.train_from_iterator(tokenizer_corpus(), trainer=trainer)
    tok.add_special_tokens(SPECIAL_TOKENS)
    check_letters(tok)
    return tok


def check_letters(tok: Tokenizer) -> None:
    """Every capital letter is its own token in a word, after a space or alone: the model reads words letter by
    letter."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for a in letters:
        for text in (a + letters, " " + a + letters[::-1], "\n" + a + a):
            pieces = [p for p in tok.encode(text).tokens]
            body = [p for p in pieces if p not in ("Ġ", "Ċ")]
            if any(len(p) != 1 for p in body):
                raise AssertionError(f"capital letters merged in {text!r}: {pieces}")


def padded_vocab(tok: Tokenizer) -> int:
    return -(-tok.get_vocab_size() // VOCAB_MULTIPLE) * VOCAB_MULTIPLE


def model_config(tok: Tokenizer, arch: dict = ARCH):
    return glm4v_config(vocab=padded_vocab(tok), ids=special_ids(tok), **arch)


# The merger's SwiGLU output at fan-in initialisation has RMS ~0.25; image embeddings should be as large as the
# text embeddings (RMS 1) that they sit between.
MERGER_GAIN = 4.0

# Start of the decoder's post-sub-layer norms (GLM's sandwich norms). At 0.25 an attention head's output reaches
# the answer position at ~5% of the residual's scale: measured, a head attending 99.8% to the asked-about shape
# carried its colour (linear probe 0.93 after standardising) but the answers stayed at chance for 140 steps
# while lm_head grew towards it at Adam's pace.
POST_NORM_INIT = 1.0

# Projections that write into a residual stream: scaled down so the stream is not swamped at the start.
RESIDUAL_OUTPUTS = ("o_proj", "down_proj", "attn.proj")


@torch.no_grad()
def init_weights(model: Glm4vForConditionalGeneration, seed: int) -> None:
    """Variance-preserving initialisation for training from scratch.

    transformers' default (every weight N(0, 0.02²), norms 1) is made for large pretrained models. In this small
    one it makes text embeddings (RMS 0.02) tiny next to GLM's sandwich-normed sub-layer outputs (RMS 1), so every
    position's residual is the average of its context and token identity is lost; the merger's image embeddings
    come out at RMS ~0.01. Measured: the model then stays at chance on the colour of a single shape for 1,600
    examples. Here weights are N(0, 1/fan_in) (residual outputs further / sqrt(2 * layers)), token embeddings and
    the merger output have RMS ~1, the decoder's post-sub-layer norms start at 0.25 and the vision position table
    is large enough to matter from the start.
    """
    g = torch.Generator().manual_seed(seed)
    text_layers = model.config.text_config.num_hidden_layers
    vision_layers = model.config.vision_config.depth
    for name, p in sorted(model.named_parameters(), key=lambda kv: kv[0]):
        if name.endswith("bias"):
            p.zero_()
        elif "embed_tokens" in name:
            p.copy_(torch.randn(p.shape, generator=g))
        elif "position_embedding" in name:
            p.copy_(0.2 * torch.randn(p.shape, generator=g))
        elif p.ndim == 1:       # RMSNorm / LayerNorm weights
            post = "post_self_attn_layernorm" in name or "post_mlp_layernorm" in name
            p.fill_(POST_NORM_INIT if post else 1.0)
        else:
            fan_in = p[0].numel()
            std = fan_in ** -0.5
            if any(k in name for k in RESIDUAL_OUTPUTS) and "merger" not in name:
                std /= math.sqrt(2 * (vision_layers if "visual" in name else text_layers))
            if name.endswith("merger.down_proj.weight"):
                std *= MERGER_GAIN
            p.copy_(std * torch.randn(p.shape, generator=g))


# ---------------------------------------------------------------------------------------------------------------
# Model directory
# ---------------------------------------------------------------------------------------------------------------

def generation_config(ids: dict[str, int]) -> dict:
    # Greedy by default; stops on the three EOS ids of GLM-4.6V (the model ends its answers with <|user|>).
    return {
        "do_sample": False,
        "eos_token_id": [ids["<|endoftext|>"], ids["<|user|>"], ids["<|observation|>"]],
        "max_new_tokens": MAX_NEW_TOKENS,
        "pad_token_id": ids["<|endoftext|>"],
        "transformers_version": transformers.__version__,
    }


def write_tokenizer_files(out: Path, tok: Tokenizer, model_max_length: int) -> None:
    (out / "tokenizer.json").write_text(tok.to_str(pretty=True) + "\n", encoding="utf-8")
    write_hf_json(out / "tokenizer_config.json", tokenizer_config(model_max_length))
    write_hf_json(out / "preprocessor_config.json", preprocessor_config(MIN_PIXELS, MAX_PIXELS))
    shutil.copyfile(TEMPLATE_FILE, out / "chat_template.jinja")


def save_model_dir(out: Path, model: Glm4vForConditionalGeneration, tok: Tokenizer) -> None:
    """config.json, bf16 model.safetensors, generation/preprocessor/tokenizer configs and the chat template.
    Files other than these (the model card, eval/) are left alone."""
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("model*.safetensors")) + list(out.glob("model.safetensors.index.json")):
        old.unlink()
    bf = Glm4vForConditionalGeneration(model.config)
    bf.load_state_dict(model.state_dict())
    bf = bf.to(torch.bfloat16)
    # the sub-configs too: a model loaded in float32 to continue training carries float32 there
    for config in (bf.config, bf.config.text_config, bf.config.vision_config):
        config.dtype = "bfloat16"
    bf.save_pretrained(out, max_shard_size="100MB")
    (out / "generation_config.json").unlink(missing_ok=True)
    write_hf_json(out / "generation_config.json", generation_config(special_ids(tok)))
    write_tokenizer_files(out, tok, model.config.text_config.max_position_embeddings)


def load_model(model_dir: Path) -> Glm4vForConditionalGeneration:
    """float32 from the stored bf16 weights, eager attention: what the Java engine computes on the CPU."""
    model = Glm4vForConditionalGeneration.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager")
    model.eval()
    return model



# ---------------------------------------------------------------------------------------------------------------
# Conversations
# ---------------------------------------------------------------------------------------------------------------

def messages_for(turns: list[tuple[str, str | None]]) -> list[dict]:
    """Chat messages for one image and question/answer turns; the image comes first in the first user turn."""
    messages = []
    for i, (q, a) in enumerate(turns):
        content = [{"type": "image"}, {"type": "text", "text": q}] if i == 0 else q
        messages.append({"role": "user", "content": content})
        if a is not None:
            messages.append({"role": "assistant", "content": a})
    return messages


class ConversationEncoder:
    """Training examples through the real path: chat template -> processor (PIL image processor, placeholder
    expansion, mm_token_type_ids). Loss goes on what the model must generate after each ``<|assistant|>``:
    with thinking on, ``<think></think>\\n`` + answer + ``<|user|>``; with thinking off (the prompt already holds
    ``<think></think>\\n``), answer + ``<|user|>``."""

    def __init__(self, processor):
        self.processor = processor
        tok = processor.tokenizer
        self.ids = {t: tok.convert_tokens_to_ids(t) for t in SPECIAL_TOKENS}
        self.newline = tok.encode("\n", add_special_tokens=False)
        assert len(self.newline) == 1, self.newline
        self.newline = self.newline[0]

    def encode(self, image, turns: list[tuple[str, str]], thinking: bool) -> dict:
        text = self.processor.apply_chat_template(messages_for(turns), tokenize=False, add_generation_prompt=False,
                                                  enable_thinking=thinking)
        text += "<|user|>"
        out = self.processor(text=[text], images=[image], return_tensors="pt")
        ids = out["input_ids"][0]
        labels = torch.full_like(ids, -100)
        assistant, user = self.ids["<|assistant|>"], self.ids["<|user|>"]
        think, end_think = self.ids["<think>"], self.ids["</think>"]
        positions = (ids == assistant).nonzero().flatten().tolist()
        assert len(positions) == len(turns), (len(positions), len(turns))
        ends = (ids == user).nonzero().flatten().tolist()
        for p in positions:
            expected = [self.newline, think, end_think, self.newline]
            assert ids[p + 1:p + 5].tolist() == expected, ids[p + 1:p + 8].tolist()
            start = p + 2 if thinking else p + 5
            end = next(e for e in ends if e > p)
            labels[start:end + 1] = ids[start:end + 1]
        return {"input_ids": ids, "labels": labels, "mm_token_type_ids": out["mm_token_type_ids"][0],
                "pixel_values": out["pixel_values"], "image_grid_thw": out["image_grid_thw"]}


def collate(examples: list[dict], pad_id: int) -> dict:
    """Right-padded batch; pixel rows and grids concatenated in example order."""
    n = max(len(e["input_ids"]) for e in examples)
    b = len(examples)
    input_ids = torch.full((b, n), pad_id, dtype=torch.long)
    labels = torch.full((b, n), -100, dtype=torch.long)
    mm = torch.zeros((b, n), dtype=torch.long)
    mask = torch.zeros((b, n), dtype=torch.long)
    for i, e in enumerate(examples):
        k = len(e["input_ids"])
        input_ids[i, :k] = e["input_ids"]
        labels[i, :k] = e["labels"]
        mm[i, :k] = e["mm_token_type_ids"]
        mask[i, :k] = 1
    return {"input_ids": input_ids, "labels": labels, "mm_token_type_ids": mm, "attention_mask": mask,
            "pixel_values": torch.cat([e["pixel_values"] for e in examples]),
            "image_grid_thw": torch.cat([e["image_grid_thw"] for e in examples])}


# ---------------------------------------------------------------------------------------------------------------
# Greedy answering (evaluation, parity file)
# ---------------------------------------------------------------------------------------------------------------

def prompt_inputs(processor, image, question: str, thinking: bool) -> dict:
    text = processor.apply_chat_template(messages_for([(question, None)]), tokenize=False,
                                         add_generation_prompt=True, enable_thinking=thinking)
    out = processor(text=[text], images=[image], return_tensors="pt")
    return {k: v for k, v in out.items() if k != "token_type_ids"}


def eos_ids(processor) -> list[int]:
    tok = processor.tokenizer
    return [tok.convert_tokens_to_ids(t) for t in ("<|endoftext|>", "<|user|>", "<|observation|>")]


def strip_answer(processor, tokens: list[int]) -> str:
    """Generated ids -> the answer as the Java engine reports it: text after ``</think>``, specials removed,
    stripped."""
    text = processor.tokenizer.decode(tokens, skip_special_tokens=False)
    if "</think>" in text:
        text = text.split("</think>", 1)[1]
    for t in SPECIAL_TOKENS:
        text = text.replace(t, "")
    return text.strip()


@torch.no_grad()
def greedy_answer(model, processor, image, question: str, thinking: bool, max_new_tokens: int = MAX_NEW_TOKENS):
    """(generated ids including the stop id, answer text)."""
    inputs = prompt_inputs(processor, image, question, thinking)
    eos = eos_ids(processor)
    cfg = GenerationConfig(do_sample=False, max_new_tokens=max_new_tokens, eos_token_id=eos, pad_token_id=eos[0],
                           num_beams=1)
    out = model.generate(**inputs, generation_config=cfg)
    tokens = out[0, inputs["input_ids"].shape[1]:].tolist()
    return tokens, strip_answer(processor, tokens), inputs


@torch.no_grad()
def greedy_answers_batch(model, processor, images, questions, thinking: bool,
                         max_new_tokens: int = MAX_NEW_TOKENS) -> list[str]:
    """Left-padded batched greedy answers (evaluation speed); equal to greedy_answer up to float noise."""
    texts = [processor.apply_chat_template(messages_for([(q, None)]), tokenize=False, add_generation_prompt=True,
                                           enable_thinking=thinking) for q in questions]
    processor.tokenizer.padding_side = "left"
    inputs = processor(text=texts, images=images, return_tensors="pt", padding=True)
    inputs = {k: v for k, v in inputs.items() if k != "token_type_ids"}
    eos = eos_ids(processor)
    cfg = GenerationConfig(do_sample=False, max_new_tokens=max_new_tokens, eos_token_id=eos, pad_token_id=eos[0],
                           num_beams=1)
    out = model.generate(**inputs, generation_config=cfg)
    n = inputs["input_ids"].shape[1]
    answers = []
    for row in out[:, n:].tolist():
        cut = next((i + 1 for i, t in enumerate(row) if t in eos), len(row))
        answers.append(strip_answer(processor, row[:cut]))
    return answers


def read_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))
