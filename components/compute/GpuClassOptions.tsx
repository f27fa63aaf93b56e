import { GPU_CLASSES } from "@/lib/scu/ratings";

/** Every GPU class as a select's options, by name. */
export function GpuClassOptions() {
  return GPU_CLASSES.map((g) => (
    <option key={g.id} value={g.id}>
      {g.name}
    </option>
  ));
}
