import type { Metadata } from "next";
import { MyJobs } from "@/components/jobs/MyJobs";

export const metadata: Metadata = { title: "My jobs · Hourglass" };

export default function JobsPage() {
  return (
    <div className="grid gap-6">
      <h1 className="text-2xl font-semibold tracking-tight text-stone-50">My jobs</h1>
      <MyJobs />
    </div>
  );
}
