// Growable typed columns, the building blocks of the quality engine's
// call and survey tables. A day of a large site holds millions of calls: as typed arrays they
// cost the garbage collector nothing to walk, and a checkpoint copies them as bytes instead
// of rebuilding one object per record.

export type Column = Float64Array | Int32Array | Int8Array;

/** `a` with room for at least `need` items: the same array, or a copy twice as long. */
export function room<A extends Column>(a: A, need: number, make: (n: number) => A): A {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2, 256));
  b.set(a);
  return b;
}

/** The first `n` items in an array of their own: a view would serialise its whole buffer. */
export function head<A extends Column>(a: A, n: number): A {
  return a.slice(0, n) as A;
}
