/** JSON that carries bigints (as {"$bigint": "…"}), for routes that answer with on-chain amounts. */
export const stringifyWithBigints = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? { $bigint: v.toString() } : v));

export const parseWithBigints = <T>(text: string): T =>
  JSON.parse(text, (_key, v: unknown) =>
    v !== null &&
    typeof v === "object" &&
    Object.keys(v).length === 1 &&
    typeof (v as { $bigint?: unknown }).$bigint === "string"
      ? BigInt((v as { $bigint: string }).$bigint)
      : v,
  ) as T;
