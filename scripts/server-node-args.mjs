// How every process that runs the Floorwatch server is started (npm start, the demo, the
// bench and the tests), kept in one place.
//
// --max-semi-space-size=64: V8's young generation may grow to 2 x 64 MiB. Batches stay
// alive while their insert runs, so in a smaller young generation they outlive two scavenges
// and are promoted, and old-generation GC grows with a sustained run, taking the core the
// 100k events/s ingest goal needs (figures: bench/kept.md). The cost is young generation kept
// after a burst; the steady state stays within the 2 KB-per-agent goal (bench memory section).
export const SERVER_NODE_ARGS = ['--max-semi-space-size=64'];

// glibc malloc: blocks of 256 KiB and more are mmapped and returned on free, and free memory
// above 256 KiB at the top of an arena is trimmed. Without it Node's arenas keep what a burst
// such as 20,000 agents signing in freed, against the 2 KB-per-agent goal (bench/kept.md).
// Read by glibc at process start, so it must be in the server's environment; an
// operator's own GLIBC_TUNABLES wins.
const SERVER_ENV_DEFAULTS = {
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=262144:glibc.malloc.trim_threshold=262144',
};

/** The server's environment: `env` with the defaults above where it does not set them. */
export function serverEnv(env) {
  return { ...SERVER_ENV_DEFAULTS, ...env };
}
