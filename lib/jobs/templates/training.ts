/**
 * A training loop that writes checkpoints: a small MLP learns a fixed random teacher network's function on
 * synthetic data (so the loss must fall, and it is checked), saving a checkpoint every CHECKPOINT_EVERY steps to
 * $HOURGLASS_OUTPUTS/checkpoints and the loss curve to metrics.json. Given a checkpoint among its inputs
 * (upload a previous run's last one as resume.pt) it resumes from it. On the GPUs it rented when CUDA sees them
 * (data-parallel over all of them), else on the CPU.
 */
export const TRAINING = String.raw`
import json, os, time
import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
steps = int(os.environ.get("STEPS", "300"))
every = int(os.environ.get("CHECKPOINT_EVERY", "100"))
width = int(os.environ.get("WIDTH", "256"))
out = os.environ.get("HOURGLASS_OUTPUTS") or "/tmp/outputs"
inputs = os.environ.get("HOURGLASS_INPUTS")
os.makedirs(os.path.join(out, "checkpoints"), exist_ok=True)

teacher = nn.Sequential(nn.Linear(32, 64), nn.Tanh(), nn.Linear(64, 1)).to(device)
for p in teacher.parameters():
    p.requires_grad_(False)
model = nn.Sequential(nn.Linear(32, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 1)).to(device)
if device.type == "cuda" and torch.cuda.device_count() > 1:
    model = nn.DataParallel(model)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
start = 0
resume = os.path.join(inputs, "resume.pt") if inputs else None
if resume and os.path.exists(resume):
    state = torch.load(resume, map_location=device)
    model.load_state_dict(state["model"])
    opt.load_state_dict(state["optimizer"])
    start = state["step"]
    print(f"resumed from step {start}")
print(f"training on {device} ({torch.cuda.device_count() if device.type == 'cuda' else 0} GPUs), steps {start + 1}..{start + steps}")

losses = []
t0 = time.perf_counter()
for step in range(start + 1, start + steps + 1):
    x = torch.randn(512, 32, device=device)
    loss = nn.functional.mse_loss(model(x), teacher(x))
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses.append(loss.item())
    if step % every == 0 or step == start + steps:
        path = os.path.join(out, "checkpoints", f"step-{step:06d}.pt")
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step}, path)
        print(f"step {step}: loss {loss.item():.5f}, {step - start} steps in {time.perf_counter() - t0:.1f} s, saved {os.path.basename(path)}", flush=True)

first, last = sum(losses[:10]) / 10, sum(losses[-10:]) / 10
with open(os.path.join(out, "metrics.json"), "w") as f:
    json.dump({"device": str(device), "steps": steps, "start": start, "firstLoss": first, "lastLoss": last, "losses": losses[:: max(1, steps // 100)]}, f)
print(f"loss {first:.5f} -> {last:.5f}")
raise SystemExit(0 if last < first else 1)
`;
