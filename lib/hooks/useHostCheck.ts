/** Asks the app to check a would-be host's endpoint (POST /api/hosts/check): what its agent says, or why not. */
import { useMutation } from "@tanstack/react-query";
import type { HostHealth } from "../server/hostcheck";

export type HostCheck = HostHealth & { endpoint: string };

export function useHostCheck() {
  return useMutation<HostCheck & { asked: string }, Error, string>({
    mutationFn: async (endpoint) => {
      const response = await fetch("/api/hosts/check", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ endpoint }),
      });
      const body = (await response.json()) as HostCheck & { error?: string };
      if (!response.ok) throw new Error(body.error ?? `The check answered ${response.status}.`);
      // Which input was checked: an edit after the check needs a new one.
      return { ...body, asked: endpoint };
    },
  });
}
