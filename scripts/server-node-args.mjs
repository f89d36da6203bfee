// How every process that runs the Floorwatch server is started (npm start, the demo, the
// bench and the tests), kept in one place.
//
// --max-semi-space-size=64: V8's young generation may grow to 2 x 64 MiB. Batches stay
// alive while their insert runs (~0.3 s under load), so with 16 MiB they outlived two
// scavenges and were promoted, and old-generation GC grew with the run: in 45-s ingest probes
// (1,000-event batches, 3 producers) 16 MiB acked 65-66k events/s with V8's GC threads at
// ~0.5 cores, 32 MiB 69k, 64 MiB 78k with them at ~0.23. Short 5-s probes had shown no
// difference, which is why 16 was chosen before. The cost is young generation kept after a
// burst: right after loading 20,000 agents RSS is ~1.2 KB/agent higher (6.6 vs 5.4), while
// the steady-state reading stays under the 2 KB goal (0.3-1.5 KB; bench memory section).
export const SERVER_NODE_ARGS = ['--max-semi-space-size=64'];

// glibc malloc: blocks of 256 KiB and more are mmapped and returned on free, and free memory
// above 256 KiB at the top of an arena is trimmed. Node's arenas grew by ~15 MB during the
// login of 20,000 agents and kept half of it free (helper measurement: arenas 35-37 -> 13-16
// MB). Read by glibc at process start, so it must be in the server's environment; an
// operator's own GLIBC_TUNABLES wins.
const SERVER_ENV_DEFAULTS = {
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=262144:glibc.malloc.trim_threshold=262144',
};

/** The server's environment: `env` with the defaults above where it does not set them. */
export function serverEnv(env) {
  return { ...SERVER_ENV_DEFAULTS, ...env };
}
