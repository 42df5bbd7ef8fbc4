/** Typed-array helpers shared by tables, loaders and training. */

type TypedArray = Int32Array | Float32Array | Float64Array;

/** `parts` one after another in one new array of `Ctor`. */
export function concatTyped<T extends TypedArray>(Ctor: new (length: number) => T, parts: readonly ArrayLike<number>[]): T {
  const out = new Ctor(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
