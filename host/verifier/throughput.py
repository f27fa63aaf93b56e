#!/usr/bin/env python3
"""The PyTorch runner of verified supply's throughput work (docs/verification.md).

The same work as lib/verification/work.ts and contracts/src/libraries/ThroughputWork.sol, bit for bit
(host/verifier/torchRunner.test.ts holds it to the TypeScript on CPU). Inputs are generated on the device with
int64 tensor ops; the products run as BF16 × BF16 with FP32 output on CUDA (TF32 where this PyTorch lacks
`torch.mm(..., out_dtype=)`), FP32 on CPU. Every partial sum is an integer below 2^24, so each is exact.

  throughput.py stats --seed 0x<64 hex> --shape M,N,K,T --rounds R [--device cpu|cuda] [--gpus n] [--memory-mib m]
      stdout: R·M/T statistics, uint64 little-endian, in leaf order (ℓ = r·M/T + t); --gpus n splits the
      rounds in n blocks, one per device 0…n−1 (on cpu: n threads)
  throughput.py tiles --seed 0x<64 hex> --shape M,N,K,T --leaves i,j,… [--device …]
      stdout: each listed tile's T·N values, int32 big-endian, row-major, in the order listed
  stderr: one JSON line at the end: {"kernel", "device", "gpus", "torch", "seconds", …}

Memory: generation runs in chunks of rows sized so that one chunk's temporaries (about BYTES_PER_ENTRY bytes per
entry of A) stay within --memory-mib per device; the full A of a round never exists.
Exit codes: 0 done, 2 bad arguments (argparse), 3 refused (values out of bounds).
"""
import argparse
import json
import re
import sys
import threading
import time

import torch

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
MIX_1 = 0xBF58476D1CE4E5B9
MIX_2 = 0x94D049BB133111EB

MAX_INNER = 65536  # |partial sum| ≤ 64·K ≤ 2^22 < 2^24: exact in FP32
MAX_INDEX = 1 << 24  # rows and columns fill 24 bits of the counter
MAX_ROUNDS = 1 << 16  # rounds fill 16 bits
MAX_TILE_VALUES = 1 << 19  # a statistic ≤ T·N·2^44 stays below 2^64
MAX_TILES_PER_CALL = 64  # a reveal asks for 8
MAX_GPUS = 64
# Per entry of a generated chunk: the int64 words and the finalizer's temporaries (~4 × 8 B per 16 entries),
# the bytes and nibbles (~3 B), int8 (1 B), BF16 or FP32 (≤ 4 B), and FP32 for the TF32 fallback: ≤ 12 B.
BYTES_PER_ENTRY = 12


class Refused(Exception):
    pass


def s64(x: int) -> int:
    """x mod 2^64 as a signed int64 (torch's int64 scalars)."""
    x &= MASK64
    return x - (1 << 64) if x >= 1 << 63 else x


def logical_shift_right(z: torch.Tensor, s: int) -> torch.Tensor:
    # torch shifts int64 arithmetically; masking off the copied sign bits makes it logical.
    return (z >> s) & ((1 << (64 - s)) - 1)


def mix64(z: torch.Tensor) -> torch.Tensor:
    """The splitmix64 finalizer on int64 tensors: products wrap mod 2^64 in two's complement."""
    z = z ^ logical_shift_right(z, 30)
    z = z * s64(MIX_1)
    z = z ^ logical_shift_right(z, 27)
    z = z * s64(MIX_2)
    return z ^ logical_shift_right(z, 31)


def generate(seed64: int, rnd: int, matrix: int, first: int, count: int, inner: int, device) -> torch.Tensor:
    """Rows first … first+count−1 of matrix `matrix` (0: A's rows, 1: B's columns) in round `rnd`: int8, count × K.

    word(i, w) = mix64(seed64 + (c + 1)·GOLDEN), c = ((r·2 + m) << 44) | (i << 20) | w; the sum splits into a
    per-call base plus i·(GOLDEN << 20) plus w·GOLDEN, all mod 2^64 (int64 arithmetic wraps).
    """
    base = s64(seed64 + ((((rnd * 2 + matrix) << 44) + 1) * GOLDEN))
    rows = torch.arange(first, first + count, dtype=torch.int64, device=device) * s64(GOLDEN << 20)
    words = torch.arange(inner // 16, dtype=torch.int64, device=device) * s64(GOLDEN)
    z = mix64(rows[:, None] + words[None, :] + base)
    # Entry n of a word is nibble n: byte n//2 (little-endian), low nibble first.
    b = z.contiguous().view(torch.uint8)
    nibbles = torch.stack((b & 15, b >> 4), dim=-1).reshape(count, inner)
    return nibbles.to(torch.int8) - 8


class Product:
    """A · Bᵀ exactly, with the fastest exact kernel this PyTorch offers on the device."""

    def __init__(self, device: torch.device):
        self.device = device
        if device.type == "cpu":
            self.kernel = "fp32-cpu"
            return
        # Exactness needs FP32 reductions: no library shortcut may reduce in BF16/FP16 (the agent also recomputes
        # random tiles on the CPU before it commits).
        for flag in ("allow_bf16_reduced_precision_reduction", "allow_fp16_reduced_precision_reduction"):
            if hasattr(torch.backends.cuda.matmul, flag):
                setattr(torch.backends.cuda.matmul, flag, False)
        a = torch.ones((16, 16), dtype=torch.bfloat16, device=device)
        try:
            out = torch.mm(a, a, out_dtype=torch.float32)
            ok = out.dtype == torch.float32 and bool((out == 16).all())
        except (TypeError, RuntimeError):
            ok = False
        if ok:
            self.kernel = "bf16-fp32-out"
        else:
            torch.backends.cuda.matmul.allow_tf32 = True
            self.kernel = "tf32"

    def cast(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.bfloat16) if self.kernel == "bf16-fp32-out" else x.to(torch.float32)

    def __call__(self, a: torch.Tensor, b_cols: torch.Tensor) -> torch.Tensor:
        """a: rows × K, b_cols: N × K (cast), → rows × N int64."""
        if self.kernel == "bf16-fp32-out":
            c = torch.mm(a, b_cols.t(), out_dtype=torch.float32)
        else:
            c = a @ b_cols.t()
        return c.to(torch.int64)


def chunk_rows(shape, memory_bytes: int) -> int:
    m, _, k, t = shape
    rows = memory_bytes // (BYTES_PER_ENTRY * k)
    rows -= rows % t
    if rows < t:
        raise Refused(f"--memory-mib too small for one tile of {t}×{k} entries")
    return min(rows, m)


def round_b(seed64, shape, rnd, device, product, memory_bytes):
    m, n, k, t = shape
    step = max(1, memory_bytes // (BYTES_PER_ENTRY * k))
    parts = [product.cast(generate(seed64, rnd, 1, j, min(step, n - j), k, device)) for j in range(0, n, step)]
    return torch.cat(parts) if len(parts) > 1 else parts[0]


def stats_on(device, seed64, shape, rounds, out, memory_bytes, report):
    """Statistics of `rounds` (a range) into `out` (CPU int64, leaf order)."""
    m, n, k, t = shape
    tiles = m // t
    product = Product(device)
    report["kernel"] = product.kernel
    step = chunk_rows(shape, memory_bytes)
    for r in rounds:
        b = round_b(seed64, shape, r, device, product, memory_bytes)
        per_round = torch.empty(tiles, dtype=torch.int64, device=device)
        for first in range(0, m, step):
            count = min(step, m - first)
            c = product(product.cast(generate(seed64, r, 0, first, count, k, device)), b)
            # Each square ≤ 2^44; their sum ≤ 2^63 wraps at most into the sign bit: the same 64 bits as uint64.
            per_round[first // t : (first + count) // t] = (c * c).reshape(count // t, t * n).sum(dim=1)
        out[r * tiles : (r + 1) * tiles] = per_round.cpu()


def to_bytes(t: torch.Tensor) -> bytes:
    return t.contiguous().numpy().tobytes()


def run_stats(args, shape, seed64, memory_bytes):
    m, n, k, t = shape
    tiles = m // t
    out = torch.empty(args.rounds * tiles, dtype=torch.int64)
    report = {}
    # Contiguous blocks of rounds per device, one thread each (kernels run with the GIL released). On CPU, --gpus
    # threads share the one device: the same split, so the CPU tests cover it.
    parts = min(args.gpus, args.rounds)
    errors = []

    def work(d):
        lo, hi = args.rounds * d // parts, args.rounds * (d + 1) // parts
        try:
            # Inference mode is per thread: `out` is an inference tensor, written only under it.
            with torch.inference_mode():
                if args.device == "cpu":
                    stats_on(torch.device("cpu"), seed64, shape, range(lo, hi), out, memory_bytes, report)
                else:
                    with torch.cuda.device(d):
                        stats_on(torch.device("cuda", d), seed64, shape, range(lo, hi), out, memory_bytes, report)
        except BaseException as e:  # noqa: BLE001 — raised below, with the device
            errors.append((d, e))

    threads = [threading.Thread(target=work, args=(d,)) for d in range(parts)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errors:
        d, e = errors[0]
        if isinstance(e, Refused):
            raise e
        raise RuntimeError(f"{args.device}:{d}: {e}") from e
    # int64 little-endian bytes are uint64's bytes for values in [0, 2^64) (main() refuses big-endian hosts).
    return to_bytes(out), report


def run_tiles(args, shape, seed64, memory_bytes):
    m, n, k, t = shape
    tiles = m // t
    device = torch.device("cpu") if args.device == "cpu" else torch.device("cuda", 0)
    product = Product(device)
    chunks = []
    b_cache = {}
    for leaf in args.leaves:
        r, tile = divmod(leaf, tiles)
        if r not in b_cache:
            b_cache.clear()
            b_cache[r] = round_b(seed64, shape, r, device, product, memory_bytes)
        c = product(product.cast(generate(seed64, r, 0, tile * t, t, k, device)), b_cache[r])
        chunks.append(c.to(torch.int32).cpu())
    values = torch.cat(chunks) if chunks else torch.empty(0, dtype=torch.int32)
    big_endian = values.numpy().astype(">i4")
    return big_endian.tobytes(), {"kernel": product.kernel}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=("stats", "tiles"))
    p.add_argument("--seed", required=True)
    p.add_argument("--shape", required=True, help="M,N,K,T")
    p.add_argument("--rounds", type=int)
    p.add_argument("--leaves", help="leaf indices, comma-separated")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    p.add_argument("--gpus", type=int, default=1)
    p.add_argument("--memory-mib", type=int, default=2048, help="per device (per thread on cpu), for generation chunks")
    return p.parse_args(argv)


def validate(args):
    if not re.fullmatch(r"0x[0-9a-fA-F]{64}", args.seed):
        raise Refused("--seed must be 0x and 64 hex digits")
    parts = args.shape.split(",")
    if len(parts) != 4 or not all(re.fullmatch(r"[0-9]{1,9}", x) for x in parts):
        raise Refused("--shape must be M,N,K,T")
    m, n, k, t = (int(x) for x in parts)
    pow2 = lambda x: x > 0 and x & (x - 1) == 0  # noqa: E731
    if not (16 <= k <= MAX_INNER and k % 16 == 0):
        raise Refused(f"K must be a multiple of 16 in [16, {MAX_INNER}]")
    if not (pow2(n) and n <= MAX_INDEX):
        raise Refused(f"N must be a power of two ≤ {MAX_INDEX}")
    if not pow2(t):
        raise Refused("T must be a power of two")
    if not (t <= m <= MAX_INDEX and m % t == 0):
        raise Refused(f"M must be a multiple of T, at most {MAX_INDEX}")
    if t * n > MAX_TILE_VALUES:
        raise Refused(f"T·N must be ≤ {MAX_TILE_VALUES}")
    if not (1 <= args.memory_mib <= 1 << 20):
        raise Refused("--memory-mib must be in [1, 2^20]")
    if args.mode == "stats":
        if args.rounds is None or not (1 <= args.rounds <= MAX_ROUNDS):
            raise Refused(f"--rounds must be in [1, {MAX_ROUNDS}]")
    else:
        if not args.leaves or not re.fullmatch(r"[0-9]{1,12}(,[0-9]{1,12})*", args.leaves):
            raise Refused("--leaves must be comma-separated leaf indices")
        args.leaves = [int(x) for x in args.leaves.split(",")]
        if len(args.leaves) > MAX_TILES_PER_CALL:
            raise Refused(f"at most {MAX_TILES_PER_CALL} leaves per call")
        if any(x >= MAX_ROUNDS * (m // t) for x in args.leaves):
            raise Refused("a leaf index is past the last round")
    if args.device == "cuda":
        if not torch.cuda.is_available():
            raise Refused("--device cuda: no CUDA device")
        if not (1 <= args.gpus <= min(MAX_GPUS, torch.cuda.device_count())):
            raise Refused(f"--gpus must be in [1, {torch.cuda.device_count()}] (the visible devices)")
    elif not (1 <= args.gpus <= MAX_GPUS):
        raise Refused(f"--gpus must be in [1, {MAX_GPUS}]")
    return (m, n, k, t)


def main(argv):
    args = parse_args(argv)
    try:
        shape = validate(args)
    except Refused as e:
        print(json.dumps({"error": str(e)}), file=sys.stderr)
        return 3
    if sys.byteorder != "little":
        print(json.dumps({"error": "the byte views assume a little-endian host"}), file=sys.stderr)
        return 3
    seed64 = int(args.seed, 16) & MASK64
    memory_bytes = args.memory_mib << 20
    started = time.monotonic()
    try:
        with torch.inference_mode():
            if args.mode == "stats":
                data, report = run_stats(args, shape, seed64, memory_bytes)
            else:
                data, report = run_tiles(args, shape, seed64, memory_bytes)
            if args.device == "cuda":
                torch.cuda.synchronize()
    except Refused as e:
        print(json.dumps({"error": str(e)}), file=sys.stderr)
        return 3
    seconds = time.monotonic() - started
    out = sys.stdout.buffer
    for at in range(0, len(data), 1 << 20):
        out.write(data[at : at + (1 << 20)])
    out.flush()
    report.update(
        device=args.device,
        gpus=args.gpus if args.device == "cuda" else 0,
        torch=torch.__version__,
        seconds=round(seconds, 6),
        bytes=len(data),
    )
    print(json.dumps(report), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
