// How every process that runs the Floorwatch server is started (npm start, the demo, the
// bench and the tests), kept in one place.
//
// --max-semi-space-size=16: V8's young generation is capped at 2 x 16 MiB. A larger cap
// (64 MiB was tried for ingest) kept up to 128 MiB of young generation resident after a
// burst of events, ~2-3 KB per agent at 20,000 agents, and bought no measurable throughput
// once batches wait for their insert as bytes rather than as strings (probe, 1,000-event
// batches, 3 runs each: 16 MiB 79-107k, 64 MiB 81-98k acked events/s).
export const SERVER_NODE_ARGS = ['--max-semi-space-size=16'];

// glibc malloc: blocks of 256 KiB and more are mmapped and returned on free, and free memory
// above 256 KiB at the top of an arena is trimmed. Node's arenas grew by ~15 MB during the
// login of 20,000 agents and kept half of it free (helper measurement: arenas 35-37 -> 13-16
// MB). Read by glibc at process start, so it must be in the server's environment; an
// operator's own GLIBC_TUNABLES wins.
const SERVER_ENV_DEFAULTS = { GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=262144:glibc.malloc.trim_threshold=262144' };

/** The server's environment: `env` with the defaults above where it does not set them. */
export function serverEnv(env) {
  return { ...SERVER_ENV_DEFAULTS, ...env };
}
