/** Reading what people type into form fields: a value, or the sentence that says what is wrong with it. */
export type Field<T> = { value: T } | { error: string };

/** A whole number from `min` to `max`. */
export function parseWhole(input: string, name: string, min: number, max: number): Field<number> {
  const trimmed = input.trim();
  if (!/^\d+$/.test(trimmed)) return { error: `Enter the ${name} as a whole number.` };
  const value = Number(trimmed);
  if (value < min || value > max) return { error: `The ${name} must be from ${min} to ${max}.` };
  return { value };
}
