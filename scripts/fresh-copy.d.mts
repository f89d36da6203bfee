// Types for scripts/fresh-copy.mjs, so the first-run test and bench can import it.
export declare function freshCopy(root: string, dest: string): void;
