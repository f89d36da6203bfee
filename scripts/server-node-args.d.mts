export declare const SERVER_NODE_ARGS: string[];
export declare function serverEnv<T extends Record<string, string | undefined>>(
  env: T,
): T & { GLIBC_TUNABLES: string };
