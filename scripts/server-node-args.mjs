// Node flags for every process that runs the Floorwatch server (npm start, the demo, the
// bench and the tests), kept in one place.
//
// --max-semi-space-size=64: under load a batch of events lives from its arrival until its
// insert commits (~100-300 ms), longer than V8's default 16 MiB young generation holds, so
// every event object, row string and raw line got promoted and collected by full GCs.
// 64 MiB lets them die young: garbage collection fell from ~31% to ~26% of the main
// thread and acknowledged events/s rose ~45% (30.7k -> 45k at 1,000-event batches, same
// machine, same run of `.tmp`-style probes; docs/benchmarks.md has the current figures).
export const SERVER_NODE_ARGS = ['--max-semi-space-size=64'];
