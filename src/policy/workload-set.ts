/** A set of workloads as a bit per workload index: selectors resolve once at compile, membership is one load. */
export type WorkloadSet = Uint32Array;

export function emptyWorkloadSet(size: number): WorkloadSet {
  return new Uint32Array((size + 31) >>> 5);
}

export function hasWorkload(set: WorkloadSet, index: number): boolean {
  return ((set[index >>> 5]! >>> (index & 31)) & 1) === 1;
}

export function addWorkload(set: WorkloadSet, index: number): void {
  set[index >>> 5]! |= 1 << (index & 31);
}

export function intersect(a: WorkloadSet, b: WorkloadSet): WorkloadSet {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}

export function unite(a: WorkloadSet, b: WorkloadSet): WorkloadSet {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! | b[i]!;
  return out;
}

/** The indices in the set, lowest first. */
export function members(set: WorkloadSet): number[] {
  const out: number[] = [];
  for (let word = 0; word < set.length; word++) {
    let bits = set[word]!;
    while (bits !== 0) {
      const low = bits & -bits;
      out.push(word * 32 + 31 - Math.clz32(low));
      bits ^= low;
    }
  }
  return out;
}

export function isEmptySet(set: WorkloadSet): boolean {
  return set.every((word) => word === 0);
}
