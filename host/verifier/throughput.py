#!/usr/bin/env python3
"""The PyTorch runner of verified supply's throughput work, v2 (docs/verification.md).

The same work as lib/verification/work.ts and contracts/src/libraries/ThroughputWork.sol, bit for bit
(host/verifier/torchRunner.test.ts holds it to the TypeScript on CPU). Inputs are generated on the device with
int64 tensor ops; the products run as INT8 × INT8 with INT32 accumulation on CUDA (`torch._int_mm`; else BF16 ×
BF16 with FP32 output, else TF32), FP32 on CPU. Every partial sum is an integer of magnitude at most 2^24, exact in
each. The CUDA path has NOT run on a GPU (none was available to this project): only the CPU path is tested.

  throughput.py stats --seed 0x<64 hex> --shape M,N,K,T[,G] --rounds R [--device cpu|cuda] [--gpus n]
                      [--memory-mib m] [--batch-rounds b]
      stdout: R·M/T statistics, uint64 little-endian, in tile order (τ = r·M/T + t), written and flushed batch
      by batch as they are computed (the reader streams them; a pipe that is not read stops the work)
  throughput.py tiles --seed 0x<64 hex> --shape M,N,K,T[,G] --tiles τ,τ',… [--device …]
      stdout: each listed tile's T·N values, int32 big-endian, row-major, in the order listed
  stderr: one JSON line at the end: {"kernel", "device", "gpus", "torch", "seconds", "batchRounds", …}

The work (v2): A (M×K) is the same in every round (row i: matrix 0, round 0), so each device generates it ONCE
per call and keeps it cast for the products; B_r (K×N) is generated per round. A batch of b rounds is one GEMM,
A · [B_r | B_r+1 | … | B_r+b−1], M × b·N. G (groupTiles) does not change what the script computes (statistics
are per tile; groups are the prover's leaves): it is checked when given, so a shape the contract refuses is
refused here too.

Several devices (--gpus n; on cpu, n threads sharing the one CPU, which tests the same code): the rounds are cut
into batches of consecutive rounds, and batch j goes to device j mod n (each device takes contiguous blocks of
rounds, dealt in turn). Each device hands its finished batches, in its own order, to a queue of QUEUE_DEPTH; the
main thread writes batch 0, 1, 2, … taking each from its device's queue. So stdout stays in tile order with at
most n·QUEUE_DEPTH batches of statistics waiting on the host (bounded), and a device that runs ahead waits.

Memory (--memory-mib, per device): A cast (M·K bytes in INT8, 2 in BF16, 4 in FP32) for the whole call, plus one
batch: its B cast (b·N·K·1|2|4 bytes) and its output (b·M·N·OUTPUT_BYTES), plus generation chunks of rows (about
BYTES_PER_ENTRY per generated entry, within a quarter of what A leaves). b is as many rounds as fit, at most
--batch-rounds (default MAX_BATCH_ROUNDS). Refused (exit 3) when A and one round do not fit.
Exit codes: 0 done, 2 bad arguments (argparse), 3 refused (values out of bounds), 1 anything else (a traceback).
"""
import argparse
import json
import queue
import re
import sys
import threading
import time

import torch

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
MIX_1 = 0xBF58476D1CE4E5B9
MIX_2 = 0x94D049BB133111EB

MAX_INNER = 65536  # |partial sum| ≤ 256·K ≤ 2^24, and every integer up to 2^24 is an FP32: exact
MAX_INDEX = 1 << 20  # rows and columns fill 20 bits of the counter
MAX_WORDS = 1 << 20  # words of a row fill the counter's low 20 bits (K/8 ≤ 8192 uses 13 of them)
MAX_ROUNDS = 1 << 23  # rounds fill 23 bits, below the matrix bit (bit 63)
MAX_TILE_VALUES = 1 << 15  # a statistic ≤ T·N·2^48 stays below 2^64
MAX_GROUP_TILES = 1024  # a reveal carries 8·G bytes of statistics per sample
MAX_LEAVES_PER_ROUND = 8  # M/(T·G) ≤ 8: 2^23 rounds make at most 2^26 leaves (the Merkle tree's cap)
MAX_TILES_PER_CALL = 64  # a reveal asks for 8
MAX_GPUS = 64
# Rounds per GEMM at most: at the GPU shape (5.5·10^11 FLOPs a round, ~0.6 ms on an H100 at its datasheet rate)
# 64 rounds are ~36 ms and 512 KB of statistics, short enough that the reader sees a steady stream, wide enough
# (b·N = 16,384 columns) that the GEMM is far from the narrow N = 256 of one round.
MAX_BATCH_ROUNDS = 64
# Batches a device may finish ahead of the writer (host memory: n·QUEUE_DEPTH batches of statistics).
QUEUE_DEPTH = 2
# Per generated entry: the int64 words and mix64's temporaries (~4 × 8 B per 8 entries), the byte and its 5-bit
# field (2 B), int8 (1 B) and its −16 (1 B), and the copy into the cast tensor (≤ 4 B).
BYTES_PER_ENTRY = 12
# Per output entry of a batch: the FP32 product (4 B) and its int64 copy, squared in place (8 B).
OUTPUT_BYTES = 12
# At the GPU shape in BF16 (INT8 halves A and B): A 2 GiB; a round 80 MiB (B 32 MiB, output 48 MiB), 64 rounds
# 5 GiB; generation up to a quarter of the 10 GiB A leaves (2.5 GiB): 9.5 GiB, within the 24 GB of the smallest
# datacenter GPUs.
DEFAULT_MEMORY_MIB = 12288


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


def generate_into(dest: torch.Tensor, seed64: int, matrix: int, first_round: int, per_round: int, first: int,
                  count: int, chunk: int) -> None:
    """Fills `dest` (count × K, any dtype) with rows q = 0…count−1 of `matrix`, q standing for round
    first_round + (first + q) // per_round, index (first + q) % per_round, in chunks of at most `chunk` rows.

    word = mix64(seed64 + (c + 1)·GOLDEN), c = (((m << 23 | r) << 20 | i) << 20) | w: the sum splits into a base
    (seed64 + (m·2^63 + 1)·GOLDEN) plus r·(GOLDEN << 40) plus i·(GOLDEN << 20) plus w·GOLDEN, all mod 2^64 (int64
    arithmetic wraps). A passes per_round = M and first_round 0 (round-independent); a batch of B passes N.
    """
    inner = dest.shape[1]
    device = dest.device
    base = s64(seed64 + ((matrix << 63) + 1) * GOLDEN)
    words = torch.arange(inner // 8, dtype=torch.int64, device=device) * s64(GOLDEN)
    for lo in range(0, count, chunk):
        n = min(chunk, count - lo)
        q = torch.arange(first + lo, first + lo + n, dtype=torch.int64, device=device)
        rnd = q // per_round + first_round
        index = q % per_round
        rows = rnd * s64(GOLDEN << 40) + index * s64(GOLDEN << 20) + base
        z = mix64(rows[:, None] + words[None, :])
        # Entry n of a word is byte n (little-endian): its low 5 bits, minus 16.
        fields = (z.contiguous().view(torch.uint8) & 31).reshape(n, inner)
        dest[lo : lo + n].copy_(fields.to(torch.int8) - 16)


def int8_fits(rows: int, cols: int) -> bool:
    """Whether `torch._int_mm` takes a rows × K by K × (b·cols) product for every b: more than 16 rows, and
    columns a multiple of 8 (cuBLASLt's int8 GEMM limits, checked by PyTorch's `_int_mm`)."""
    return rows > 16 and cols % 8 == 0


class Product:
    """A · Bᵀ exactly, with the fastest exact kernel this PyTorch offers on the device.

    On CUDA, INT8 × INT8 with INT32 accumulation first (`torch._int_mm`): every entry (−16…15) is an int8 and
    every sum is exact in int32, at twice the BF16 rate (Ampere, Ada, Hopper, Blackwell) or four times
    (GeForce, whose BF16 with FP32 accumulation runs at half rate). A host that claims a class is held to the
    class's BF16 rate, so INT8 gives an honest host a wide margin, and a dishonest one would use it anyway
    (docs/verification.md, "Which engines the work admits"). `_int_mm` needs more than 16 rows and a multiple
    of 8 columns (`int8_fits`): other products use the next kernel. The kernel must reproduce a probe product exactly before it is used
    (PyTorch 2.1's `_int_mm` returned wrong values under CUDA 12.1 update 1, pytorch#107671)."""

    def __init__(self, device: torch.device, int8_fits: bool):
        self.device = device
        if device.type == "cpu":
            self.kernel = "fp32-cpu"
            self.dtype = torch.float32
            return
        if int8_fits and hasattr(torch, "_int_mm") and self._int8_exact(device):
            self.kernel = "int8-int32"
            self.dtype = torch.int8
            return
        # Not run on a GPU yet (none was available): written from PyTorch's documentation. Exactness needs FP32
        # reductions: no library shortcut may reduce in BF16/FP16 (the agent also recomputes random tiles on the
        # CPU before it commits, so a kernel that is not exact is caught before anything is committed).
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
            self.dtype = torch.bfloat16
        else:
            # TF32 keeps 10 mantissa bits: every entry (−16…15) and product (≤ 256) is exact, accumulation is FP32.
            torch.backends.cuda.matmul.allow_tf32 = True
            self.kernel = "tf32"
            self.dtype = torch.float32

    @staticmethod
    def _int8_exact(device: torch.device) -> bool:
        """Whether `_int_mm` reproduces a 32 × 64 × 32 product of −16…15 entries (CPU int64 reference)."""
        g = torch.Generator().manual_seed(0)
        a = torch.randint(-16, 16, (32, 64), dtype=torch.int8, generator=g)
        b = torch.randint(-16, 16, (32, 64), dtype=torch.int8, generator=g)
        expected = a.to(torch.int64) @ b.to(torch.int64).t()
        try:
            out = torch._int_mm(a.to(device), b.to(device).t())
            return out.dtype == torch.int32 and bool((out.cpu().to(torch.int64) == expected).all())
        except (TypeError, RuntimeError):
            return False

    @property
    def entry_bytes(self) -> int:
        return {torch.int8: 1, torch.bfloat16: 2}.get(self.dtype, 4)

    def __call__(self, a: torch.Tensor, b_cols: torch.Tensor) -> torch.Tensor:
        """a: rows × K, b_cols: cols × K (both cast) → rows × cols, INT32 or FP32 (exact integers)."""
        if self.kernel == "int8-int32":
            # b_cols.t() is K × cols, column-major: the layout cuBLASLt's int8 GEMM takes without a copy.
            return torch._int_mm(a, b_cols.t())
        if self.kernel == "bf16-fp32-out":
            return torch.mm(a, b_cols.t(), out_dtype=torch.float32)
        return a @ b_cols.t()


def plan(shape, entry_bytes: int, memory_bytes: int, rounds: int, max_batch: int):
    """(generation chunk rows, rounds per batch) within the per-device memory, or Refused."""
    m, n, k, t = shape
    a_bytes = m * k * entry_bytes
    left = memory_bytes - a_bytes
    gen_rows = min(max(m, n * max_batch), (left // 4) // (BYTES_PER_ENTRY * k)) if left > 0 else 0
    per_round = n * k * entry_bytes + m * n * OUTPUT_BYTES
    batch = min(max_batch, rounds, (left - gen_rows * BYTES_PER_ENTRY * k) // per_round) if gen_rows else 0
    if batch < 1:
        raise Refused(
            f"--memory-mib too small: A ({m}×{k}) takes {a_bytes >> 20} MiB, one round {per_round >> 20} MiB more "
            f"and generation {(BYTES_PER_ENTRY * k) >> 10} KiB a row, within {memory_bytes >> 20} MiB"
        )
    return gen_rows, batch


class Device:
    """One device's part of a call: its A (generated once, kept cast for the products) and its batches."""

    def __init__(self, device: torch.device, seed64: int, shape, gen_rows: int):
        m, n, k, t = shape
        self.device, self.seed64, self.shape, self.gen_rows = device, seed64, shape, gen_rows
        self.product = Product(device, int8_fits(m, n))
        started = time.monotonic()
        self.a = torch.empty((m, k), dtype=self.product.dtype, device=device)
        generate_into(self.a, seed64, 0, 0, m, 0, m, gen_rows)
        self.a_seconds = time.monotonic() - started

    def stats(self, first_round: int, count: int) -> torch.Tensor:
        """Statistics of rounds first_round … first_round+count−1, in tile order, on the CPU (int64)."""
        m, n, k, t = self.shape
        b = torch.empty((count * n, k), dtype=self.product.dtype, device=self.device)
        generate_into(b, self.seed64, 1, first_round, n, 0, count * n, self.gen_rows)
        c = self.product(self.a, b).to(torch.int64)  # M × count·N; column r·N + j is C_{first+r}[·][j]
        del b
        # Each square ≤ 2^48; a tile's sum ≤ 2^63 wraps at most into the sign bit: the same 64 bits as uint64.
        c.mul_(c)
        per_tile = c.view(m // t, t, count, n).sum(dim=(1, 3))  # (M/T) × count
        return per_tile.t().contiguous().cpu()  # count × (M/T): tile order


def device_of(args, d: int) -> torch.device:
    return torch.device("cpu") if args.device == "cpu" else torch.device("cuda", d)


def run_stats(args, shape, seed64, memory_bytes, out, report):
    # Every device plans the same batch, so batch j is rounds [j·batch, (j+1)·batch) whichever device takes it: the
    # plan takes the widest entry any device's kernel casts to (a device whose INT8 probe fails uses BF16).
    fits = int8_fits(shape[0], shape[1])
    entry_bytes = max(Product(device_of(args, d), fits).entry_bytes for d in range(args.gpus))
    gen_rows, batch = plan(shape, entry_bytes, memory_bytes, args.rounds, args.batch_rounds)
    batches = (args.rounds + batch - 1) // batch
    parts = min(args.gpus, batches)
    queues = [queue.Queue(maxsize=QUEUE_DEPTH) for _ in range(parts)]
    stop = threading.Event()

    def put(d, item):
        while not stop.is_set():
            try:
                return queues[d].put(item, timeout=0.1)
            except queue.Full:
                continue

    def work(d):
        try:
            # Inference mode is per thread.
            with torch.inference_mode():
                if args.device == "cuda":
                    torch.cuda.set_device(d)
                dev = Device(device_of(args, d), seed64, shape, gen_rows)
                report["kernel"] = dev.product.kernel
                report.setdefault("aSeconds", round(dev.a_seconds, 6))
                for j in range(d, batches, parts):
                    if stop.is_set():
                        return
                    first = j * batch
                    put(d, dev.stats(first, min(batch, args.rounds - first)))
        except BaseException as e:  # noqa: BLE001 — handed to the writer, which raises it with the device
            put(d, (d, e))

    # Daemon threads: a writer that stops (a closed pipe, a device's error) returns without joining them.
    threads = [threading.Thread(target=work, args=(d,), daemon=True) for d in range(parts)]
    for th in threads:
        th.start()
    try:
        for j in range(batches):
            item = queues[j % parts].get()
            if isinstance(item, tuple):
                d, e = item
                if isinstance(e, Refused):
                    raise e
                raise RuntimeError(f"{args.device}:{d}: {e!r}") from e
            # int64 little-endian bytes are uint64's bytes for values in [0, 2^64) (main() refuses big-endian).
            out.write(item.numpy().tobytes())
            out.flush()
            report["bytes"] += item.numel() * 8
    finally:
        stop.set()
    for th in threads:
        th.join()
    report["batchRounds"] = batch


def run_tiles(args, shape, seed64, memory_bytes, out, report):
    m, n, k, t = shape
    tiles_per_round = m // t
    # A few tiles: only their T rows of A are generated (a Device would generate all of A).
    device = device_of(args, 0)
    product = Product(device, int8_fits(t, n))
    gen_rows = max(1, min(n, (memory_bytes // 4) // (BYTES_PER_ENTRY * k)))
    b_cache = {}
    values = []
    for index in args.tiles:
        rnd, tile = divmod(index, tiles_per_round)
        if rnd not in b_cache:
            b_cache.clear()
            b = torch.empty((n, k), dtype=product.dtype, device=device)
            generate_into(b, seed64, 1, rnd, n, 0, n, gen_rows)
            b_cache[rnd] = b
        a = torch.empty((t, k), dtype=product.dtype, device=device)
        generate_into(a, seed64, 0, 0, m, tile * t, t, gen_rows)
        values.append(product(a, b_cache[rnd]).to(torch.int32).cpu())
    data = torch.cat(values) if values else torch.empty(0, dtype=torch.int32)
    out.write(data.numpy().astype(">i4").tobytes())
    out.flush()
    report["kernel"] = product.kernel
    report["bytes"] = data.numel() * 4


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=("stats", "tiles"))
    p.add_argument("--seed", required=True)
    p.add_argument("--shape", required=True, help="M,N,K,T or M,N,K,T,G")
    p.add_argument("--rounds", type=int)
    p.add_argument("--tiles", help="tile indices τ = r·M/T + t, comma-separated")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    p.add_argument("--gpus", type=int, default=1)
    p.add_argument("--memory-mib", type=int, default=DEFAULT_MEMORY_MIB, help="per device (per thread on cpu)")
    p.add_argument("--batch-rounds", type=int, default=MAX_BATCH_ROUNDS, help="rounds per GEMM at most")
    return p.parse_args(argv)


def validate(args):
    """The shape's rules of work.ts's validateShape, and the call's bounds; returns (M, N, K, T)."""
    if not re.fullmatch(r"0x[0-9a-fA-F]{64}", args.seed):
        raise Refused("--seed must be 0x and 64 hex digits")
    parts = args.shape.split(",")
    if len(parts) not in (4, 5) or not all(re.fullmatch(r"[0-9]{1,9}", x) for x in parts):
        raise Refused("--shape must be M,N,K,T or M,N,K,T,G")
    m, n, k, t = (int(x) for x in parts[:4])
    pow2 = lambda x: x > 0 and x & (x - 1) == 0  # noqa: E731
    if not (8 <= k <= MAX_INNER and k % 8 == 0):
        raise Refused(f"K must be a multiple of 8 in [8, {MAX_INNER}]")
    if not (pow2(n) and n <= MAX_INDEX):
        raise Refused(f"N must be a power of two ≤ {MAX_INDEX}")
    if not pow2(t):
        raise Refused("T must be a power of two")
    if not (t <= m <= MAX_INDEX and m % t == 0):
        raise Refused(f"M must be a multiple of T, at most {MAX_INDEX}")
    if t * n > MAX_TILE_VALUES:
        raise Refused(f"T·N must be ≤ {MAX_TILE_VALUES}")
    if len(parts) == 5:
        g = int(parts[4])
        if not (pow2(g) and g <= MAX_GROUP_TILES and (m // t) % g == 0):
            raise Refused(f"G must be a power of two ≤ {MAX_GROUP_TILES} dividing M/T = {m // t}")
        if (m // t) // g > MAX_LEAVES_PER_ROUND:
            raise Refused(f"M/(T·G) = {(m // t) // g} leaves a round, more than {MAX_LEAVES_PER_ROUND}")
    if not (1 <= args.memory_mib <= 1 << 20):
        raise Refused("--memory-mib must be in [1, 2^20]")
    if not (1 <= args.batch_rounds <= MAX_BATCH_ROUNDS):
        raise Refused(f"--batch-rounds must be in [1, {MAX_BATCH_ROUNDS}]")
    if args.mode == "stats":
        if args.rounds is None or not (1 <= args.rounds <= MAX_ROUNDS):
            raise Refused(f"--rounds must be in [1, {MAX_ROUNDS}]")
    else:
        if not args.tiles or not re.fullmatch(r"[0-9]{1,15}(,[0-9]{1,15})*", args.tiles):
            raise Refused("--tiles must be comma-separated tile indices")
        args.tiles = [int(x) for x in args.tiles.split(",")]
        if len(args.tiles) > MAX_TILES_PER_CALL:
            raise Refused(f"at most {MAX_TILES_PER_CALL} tiles per call")
        if any(x >= MAX_ROUNDS * (m // t) for x in args.tiles):
            raise Refused("a tile index is past the last round")
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
        if sys.byteorder != "little":
            raise Refused("the byte views assume a little-endian host")
    except Refused as e:
        print(json.dumps({"error": str(e)}), file=sys.stderr)
        return 3
    seed64 = int(args.seed, 16) & MASK64
    memory_bytes = args.memory_mib << 20
    report = {"bytes": 0}
    started = time.monotonic()
    try:
        with torch.inference_mode():
            if args.mode == "stats":
                run_stats(args, shape, seed64, memory_bytes, sys.stdout.buffer, report)
            else:
                run_tiles(args, shape, seed64, memory_bytes, sys.stdout.buffer, report)
            if args.device == "cuda":
                torch.cuda.synchronize()
    except Refused as e:
        print(json.dumps({"error": str(e)}), file=sys.stderr)
        return 3
    report.update(
        device=args.device,
        gpus=args.gpus if args.device == "cuda" else 0,
        torch=torch.__version__,
        seconds=round(time.monotonic() - started, 6),
    )
    print(json.dumps(report), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
