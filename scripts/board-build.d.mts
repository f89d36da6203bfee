// Types for scripts/board-build.mjs, so the TypeScript e2e helpers can import it.
export declare const ROOT: string;
export declare function needsBuild(): boolean;
export declare function buildBoard(stdio?: 'inherit' | 'ignore' | 'pipe'): Promise<number>;
