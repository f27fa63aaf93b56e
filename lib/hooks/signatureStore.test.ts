import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  keepAccess,
  keptAccess,
  rememberAck,
  rememberedDispatch,
  rememberSpec,
  subscribeToDispatches,
} from "./signatureStore";
import type { JobSpec } from "../jobs/spec";

/** A Storage over a Map: enough of localStorage and sessionStorage for the store. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

const ACK = `0x${"ab".repeat(65)}` as const;
const BUYER = "0x0000000000000000000000000000000000000001";
const spec: JobSpec = { version: 1, image: "node:22-slim", command: ["node", "-e", "console.log(1)"], env: {} };

beforeEach(() => {
  vi.stubGlobal("localStorage", memoryStorage());
  vi.stubGlobal("sessionStorage", memoryStorage());
  vi.stubGlobal("window", { addEventListener: vi.fn(), removeEventListener: vi.fn() });
});

describe("remembered dispatch", () => {
  it("keeps the spec, then the host's acknowledgement beside it, and tells subscribers", () => {
    const changed = vi.fn();
    const unsubscribe = subscribeToDispatches(changed);
    rememberSpec(7n, spec);
    rememberAck(7n, ACK);
    expect(rememberedDispatch(7n)).toEqual({ spec, ack: ACK });
    expect(changed).toHaveBeenCalledTimes(2);
    unsubscribe();
    rememberSpec(7n, spec);
    expect(changed).toHaveBeenCalledTimes(2);
  });

  it("ignores anything that is not a 65-byte signature, and the same ack twice", () => {
    const changed = vi.fn();
    subscribeToDispatches(changed);
    for (const ack of [undefined, 42, "not hex", `0x${"ab".repeat(64)}`]) rememberAck(8n, ack);
    expect(rememberedDispatch(8n)).toBeUndefined();
    rememberAck(8n, ACK);
    rememberAck(8n, ACK);
    expect(changed).toHaveBeenCalledTimes(1);
  });
});

describe("kept Access signatures", () => {
  const signed = { expiry: "10000", signature: "0x01" };

  it("are reused while they stay valid for more than a minute", () => {
    keepAccess(1n, "events", BUYER, signed);
    expect(keptAccess(1n, "events", BUYER, 10_000 - 61)).toEqual(signed);
    expect(keptAccess(1n, "events", BUYER, 10_000 - 60)).toBeUndefined();
  });

  it("belong to one job and one account", () => {
    keepAccess(1n, "events", BUYER, signed);
    expect(keptAccess(2n, "events", BUYER, 0)).toBeUndefined();
    expect(keptAccess(1n, "events", "0x0000000000000000000000000000000000000002", 0)).toBeUndefined();
  });
});
