#!/usr/bin/python3
"""Independent safetensors writer and reader for jgrad's interop tests (PyTorch 1.13, struct, json).

Debian has no safetensors package, so this follows the specification directly:
8-byte little-endian header length, JSON header padded with spaces to a multiple of 8,
then the raw little-endian row-major data, tensors sorted like the reference writer
(descending dtype alignment, then name).

  write DIR         writes DIR/interop.safetensors and DIR/interop.expected (values as float.hex)
  check FILE EXP    reads FILE (e.g. written by jgrad) with this reader into torch tensors and
                    compares it with EXP, where F16/BF16 are expected as F32 and I32/I8/U8/BOOL as I64

Run: /usr/bin/python3 core/src/test/python/safetensors_interop.py write core/src/test/resources/dev/jgrad/io
"""
import json
import struct
import sys

import torch

DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64, "I32": torch.int32, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}
# The reference writer orders by alignment, largest first (its Dtype enum order, reversed).
ORDER = ["I64", "F64", "F32", "I32", "BF16", "F16", "I8", "U8", "BOOL"]
WIDENED = {"F16": "F32", "BF16": "F32", "I32": "I64", "I8": "I64", "U8": "I64", "BOOL": "I64"}


def tensors():
    torch.manual_seed(0)
    linear = torch.nn.Linear(4, 3)
    t = {k: v.detach() for k, v in linear.state_dict().items()}
    t = {"linear." + k: v for k, v in t.items()}
    t["f64"] = torch.randn(2, 2, dtype=torch.float64)
    t["i64"] = torch.tensor([2 ** 60 + 1, -7, 0], dtype=torch.int64)
    t["f16"] = torch.tensor([0.5, -2.0, 65504.0, 6e-8, 1.0 / 3], dtype=torch.float16)
    t["bf16"] = torch.randn(2, 3).to(torch.bfloat16)
    t["i32"] = torch.tensor([-(2 ** 31), 2 ** 31 - 1, 0, -5], dtype=torch.int32)
    t["i8"] = torch.tensor([-128, 127, -1], dtype=torch.int8)
    t["u8"] = torch.tensor([0, 255, 17], dtype=torch.uint8)
    t["mask"] = torch.tensor([[True, False], [False, True]])
    t["empty"] = torch.zeros(0, 3)
    t["scalar"] = torch.tensor(3.25)
    return t


def to_bytes(x):
    x = x.contiguous()
    if x.dtype == torch.bfloat16:  # numpy has no bfloat16: reinterpret the bits as int16
        x = x.view(torch.int16)
    return x.numpy().astype(x.numpy().dtype.newbyteorder("<")).tobytes()


def write(path, named, metadata=None):
    items = sorted(named.items(), key=lambda kv: (ORDER.index(NAMES[kv[1].dtype]), kv[0]))
    header, at, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name, x in items:
        b = to_bytes(x)
        header[name] = {"dtype": NAMES[x.dtype], "shape": list(x.shape), "data_offsets": [at, at + len(b)]}
        at += len(b)
        blobs.append(b)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = raw[8 + n:]
    out = {}
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        b, e = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        chunk = bytearray(data[b:e])
        if len(chunk) == 0:
            out[name] = torch.zeros(info["shape"], dtype=dtype)
        else:
            out[name] = torch.frombuffer(chunk, dtype=dtype).reshape(info["shape"]).clone()
    assert 8 + n + sum(len(to_bytes(t)) for t in out.values()) == len(raw), "trailing or missing bytes"
    return out, metadata


def values(x):
    flat = x.reshape(-1)
    if x.dtype.is_floating_point:
        return [float(v).hex() for v in flat.double().tolist()]
    return [str(int(v)) for v in flat.long().tolist()]


def main():
    if sys.argv[1] == "write":
        out = sys.argv[2]
        named = tensors()
        write(out + "/interop.safetensors", named, {"producer": "torch " + torch.__version__, "format": "pt"})
        with open(out + "/interop.expected", "w") as f:
            for name, x in named.items():
                f.write("%s %s %s %s\n" % (name, NAMES[x.dtype], ",".join(map(str, x.shape)) or "-",
                                           ",".join(values(x)) or "-"))
        back, _ = read(out + "/interop.safetensors")
        assert all(torch.equal(back[k], v) for k, v in named.items()), "own reader disagrees"
        print("wrote", len(named), "tensors")
    elif sys.argv[1] == "check":
        got, metadata = read(sys.argv[2])
        n = 0
        for line in open(sys.argv[3]):
            name, dtype, shape, vals = line.split()
            x = got[name]
            want = WIDENED.get(dtype, dtype)
            assert NAMES[x.dtype] == want, (name, NAMES[x.dtype], want)
            assert list(x.shape) == ([] if shape == "-" else [int(s) for s in shape.split(",")]), name
            assert values(x) == ([] if vals == "-" else vals.split(",")), name
            n += 1
        print("OK: %d tensors match, metadata %s" % (n, json.dumps(metadata, sort_keys=True)))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
