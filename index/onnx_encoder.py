"""The default model's transformer run by ONNX Runtime, for batches on the CPU.

sentence-transformers runs the model through torch; for batches of passages on a CPU
without native bfloat16, ONNX Runtime computes the same float32 transformer with fused
kernels in less than half the CPU time (figures: docs/decisions.md, "ONNX Runtime for
batches"). The graph is exported once, when the default model is built
(`export`, called from e5_model), from the very weights sentence-transformers loads, and
the `Embedder` keeps sentence-transformers for everything else (tokenizer, prompts,
pooling rule, single queries). tests/test_embed.py checks that both give the same vectors.
"""

from __future__ import annotations

import os
import pathlib

import numpy as np

from beleidsbank.settings import quiet_libraries

ONNX_FILE = pathlib.Path("onnx") / "model.onnx"
INPUTS = ("input_ids", "attention_mask")


def runtime_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("onnxruntime") is not None


def export(model_dir: pathlib.Path) -> pathlib.Path:
    """Write `model_dir`/onnx/model.onnx: the transformer of the sentence-transformers folder
    `model_dir`, inputs (input_ids, attention_mask), output the token vectors, batch and
    sequence length dynamic. Written under a temporary name and renamed, so a killed export
    leaves no half file."""
    import warnings

    import torch
    from transformers import AutoModel

    quiet_libraries()
    model_dir = pathlib.Path(model_dir)
    bert = AutoModel.from_pretrained(str(model_dir)).eval()

    class TokenVectors(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    out = model_dir / ONNX_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    example = (torch.tensor([[0, 5, 6, 2], [0, 7, 2, 1]]), torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]]))
    dynamic = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
    dynamic["token_vectors"] = {0: "batch", 1: "tokens"}
    try:
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                TokenVectors(bert),
                example,
                str(tmp),
                input_names=list(INPUTS),
                output_names=["token_vectors"],
                dynamic_axes=dynamic,
                opset_version=17,
                dynamo=False,
            )
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


class OnnxTransformer:
    """Token vectors for padded batches from the exported graph of a model folder."""

    def __init__(self, model_dir: str | pathlib.Path, threads: int):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # threads that spin while they wait for work take the cores from everything else on
        # a shared machine (the parser processes, other users' queries) and slow the batch too
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        path = pathlib.Path(model_dir) / ONNX_FILE
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def token_vectors(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        """(batch, tokens, dim) float32 for int64 (batch, tokens) ids and mask."""
        feed = {"input_ids": input_ids.astype(np.int64), "attention_mask": attention_mask.astype(np.int64)}
        return self.session.run(None, feed)[0]


def find(model_dir: str | pathlib.Path) -> pathlib.Path | None:
    """The exported graph of `model_dir`, if there is one."""
    path = pathlib.Path(model_dir) / ONNX_FILE
    return path if path.is_file() else None
