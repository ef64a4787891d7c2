"""Writes a tiny llama-architecture GGUF model that llama.cpp loads and generates from.

    python make_tiny_gguf.py VOCAB_GGUF OUT_GGUF [--ctx 256] [--seed 0]

Why: the end-to-end tests run one real OpenAI-compatible server (llama-cpp-python's
`llama_cpp.server`), and a server needs a model, but no model hub is reachable here. Its HTTP
behaviour (streaming, errors, CORS, the context limit) does not depend on the weights being
trained, so a model of two layers with seeded random weights serves: it answers gibberish, fast,
through the real server code.

The vocabulary (a 32,000-token SentencePiece one) is copied from the vocabulary-only GGUF that the
llama-cpp-python sdist vendors (`vendor/llama.cpp/models/ggml-vocab-llama-spm.gguf`); the setup
script copies that file into the cache. The context is small (256 by default) so that a request
"over the context window" is easy to make.

Run it with the Python of the llama-cpp-python venv, which has `gguf` installed.
"""

import argparse
import sys

import numpy as np
from gguf import GGUFReader, GGUFValueType, GGUFWriter

# Small dimensions: 2 blocks, 64-wide embeddings, 4 heads of 16, a 128-wide feed-forward layer.
N_LAYER = 2
N_EMBD = 64
N_HEAD = 4
N_HEAD_KV = 4
N_FF = 128

# A chat template of our own, ChatML-like, so that the server formats messages from the model's
# metadata instead of guessing a format (and warning about it).
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def read_vocab(path):
    """The tokenizer fields of a vocabulary-only GGUF, as plain Python values."""
    reader = GGUFReader(path)

    def field(name):
        f = reader.fields.get(name)
        if f is None:
            sys.exit(f"{path}: no {name} field")
        return f.contents()

    vocab = {
        "model": field("tokenizer.ggml.model"),
        "pre": field("tokenizer.ggml.pre"),
        "tokens": field("tokenizer.ggml.tokens"),
        "scores": field("tokenizer.ggml.scores"),
        "token_type": field("tokenizer.ggml.token_type"),
        "bos": field("tokenizer.ggml.bos_token_id"),
        "eos": field("tokenizer.ggml.eos_token_id"),
        "unk": field("tokenizer.ggml.unknown_token_id"),
        "add_bos": field("tokenizer.ggml.add_bos_token"),
        "add_eos": field("tokenizer.ggml.add_eos_token"),
    }
    if reader.fields["tokenizer.ggml.tokens"].types[:1] != [GGUFValueType.ARRAY]:
        sys.exit(f"{path}: tokenizer.ggml.tokens is not an array")
    return vocab


def write_model(vocab, out, ctx, seed):
    rng = np.random.default_rng(seed)
    n_vocab = len(vocab["tokens"])
    head_dim = N_EMBD // N_HEAD

    def matrix(rows, cols, scale):
        # numpy shape (rows, cols) is ggml's ne = [cols, rows]: `rows` outputs of `cols` inputs.
        return (rng.standard_normal((rows, cols)) * scale).astype(np.float16)

    def ones(n):
        return np.ones(n, dtype=np.float32)

    w = GGUFWriter(out, "llama")
    w.add_name("crab-tiny-random")
    w.add_description("2-layer llama with seeded random weights, for HTTP tests only (gibberish)")
    w.add_context_length(ctx)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(N_LAYER)
    w.add_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD_KV)
    w.add_rope_dimension_count(head_dim)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(n_vocab)
    w.add_file_type(1)  # mostly F16

    w.add_tokenizer_model(vocab["model"])
    w.add_tokenizer_pre(vocab["pre"])
    w.add_token_list(vocab["tokens"])
    w.add_token_scores(vocab["scores"])
    w.add_token_types(vocab["token_type"])
    w.add_bos_token_id(vocab["bos"])
    w.add_eos_token_id(vocab["eos"])
    w.add_unk_token_id(vocab["unk"])
    w.add_add_bos_token(vocab["add_bos"])
    w.add_add_eos_token(vocab["add_eos"])
    w.add_chat_template(CHAT_TEMPLATE)

    w.add_tensor("token_embd.weight", matrix(n_vocab, N_EMBD, 0.5))
    w.add_tensor("output_norm.weight", ones(N_EMBD))
    # An output matrix of its own: tied to the embeddings, the logits favour the input token so
    # strongly that the model repeats one token. Here the logits' spread is about 2, so sampling
    # at temperature 1 varies and greedy decoding is still deterministic.
    w.add_tensor("output.weight", matrix(n_vocab, N_EMBD, 0.25))
    for i in range(N_LAYER):
        b = f"blk.{i}"
        w.add_tensor(f"{b}.attn_norm.weight", ones(N_EMBD))
        w.add_tensor(f"{b}.attn_q.weight", matrix(N_EMBD, N_EMBD, 0.1))
        w.add_tensor(f"{b}.attn_k.weight", matrix(N_HEAD_KV * head_dim, N_EMBD, 0.1))
        w.add_tensor(f"{b}.attn_v.weight", matrix(N_HEAD_KV * head_dim, N_EMBD, 0.1))
        w.add_tensor(f"{b}.attn_output.weight", matrix(N_EMBD, N_EMBD, 0.1))
        w.add_tensor(f"{b}.ffn_norm.weight", ones(N_EMBD))
        w.add_tensor(f"{b}.ffn_gate.weight", matrix(N_FF, N_EMBD, 0.1))
        w.add_tensor(f"{b}.ffn_up.weight", matrix(N_FF, N_EMBD, 0.1))
        w.add_tensor(f"{b}.ffn_down.weight", matrix(N_EMBD, N_FF, 0.1))

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("vocab", help="a vocabulary-only llama GGUF (ggml-vocab-llama-spm.gguf)")
    p.add_argument("out", help="where to write the model")
    p.add_argument("--ctx", type=int, default=256, help="context length (default 256)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random weights (default 0)")
    args = p.parse_args()
    write_model(read_vocab(args.vocab), args.out, args.ctx, args.seed)


if __name__ == "__main__":
    main()
