/**
 * The PyTorch GPU check: what the job sees (torch, CUDA, its devices, HOURGLASS_GPUS), then a matmul benchmark
 * on each visible GPU (bf16 on tensor cores), checked against a float64 reference so a fast wrong answer fails.
 * With no GPU it measures the CPU in float32 and says so. The summary goes to $HOURGLASS_OUTPUTS/benchmark.json.
 */
export const PYTORCH_CHECK = String.raw`
import json, os, sys, time
import torch

gpus = int(os.environ.get("HOURGLASS_GPUS", "0"))
print(f"torch {torch.__version__}, python {sys.version.split()[0]}, HOURGLASS_GPUS={gpus}")
cuda = torch.cuda.is_available()
devices = [torch.device(f"cuda:{i}") for i in range(torch.cuda.device_count())] if cuda else [torch.device("cpu")]
if cuda:
    for i in range(torch.cuda.device_count()):
        p = torch.cuda.get_device_properties(i)
        print(f"cuda:{i} {p.name}, {p.total_memory / 2**30:.1f} GiB, compute capability {p.major}.{p.minor}, {p.multi_processor_count} SMs")
    if torch.cuda.device_count() != gpus:
        print(f"warning: {torch.cuda.device_count()} CUDA devices visible, {gpus} rented")
else:
    print("no CUDA device visible: measuring the CPU instead (float32)")

size = int(os.environ.get("SIZE", "8192" if cuda else "1024"))
rounds = int(os.environ.get("ROUNDS", "10"))
results = []
for device in devices:
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    gen = torch.Generator(device="cpu").manual_seed(7)
    a = torch.randn(size, size, generator=gen).to(device=device, dtype=dtype)
    b = torch.randn(size, size, generator=gen).to(device=device, dtype=dtype)
    # Correctness first: a 64x64 corner against float64.
    ref = a[:64].double().cpu() @ b[:, :64].double().cpu()
    got = (a @ b)[:64, :64].double().cpu()
    error = ((got - ref).abs().max() / ref.abs().max()).item()
    sync = (lambda: torch.cuda.synchronize(device)) if device.type == "cuda" else (lambda: None)
    for _ in range(2):
        a @ b
    sync()
    best = float("inf")
    for r in range(1, rounds + 1):
        t = time.perf_counter()
        a @ b
        sync()
        s = time.perf_counter() - t
        best = min(best, s)
        print(f"{device}: round {r}/{rounds}: {size}x{size} {str(dtype).replace('torch.', '')} in {s * 1e3:.2f} ms, {2 * size**3 / s / 1e12:.2f} TFLOPS")
    tflops = 2 * size**3 / best / 1e12
    ok = error < (2e-2 if dtype == torch.bfloat16 else 1e-4)
    print(f"{device}: best {tflops:.2f} TFLOPS, relative error {error:.1e} ({'ok' if ok else 'WRONG'})")
    results.append({"device": str(device), "dtype": str(dtype), "size": size, "tflops": tflops, "relativeError": error, "ok": ok})

out = os.environ.get("HOURGLASS_OUTPUTS")
if out:
    with open(os.path.join(out, "benchmark.json"), "w") as f:
        json.dump({"torch": torch.__version__, "cuda": cuda, "gpus": gpus, "results": results}, f, indent=2)
    print(f"wrote {out}/benchmark.json")
sys.exit(0 if all(r["ok"] for r in results) else 1)
`;
