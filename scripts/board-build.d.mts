// Types for scripts/board-build.mjs, so the TypeScript e2e helpers and the demo can import it.
import type { StdioOptions } from 'node:child_process';
export declare const ROOT: string;
export declare function needsBuild(): boolean;
export declare function buildBoard(stdio?: StdioOptions): Promise<number>;
export declare function buildBoardIfStale(say: (msg: string) => void): Promise<number>;
