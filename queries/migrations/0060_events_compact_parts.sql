-- Parts of `events` up to 128 MiB (uncompressed) are written in the Compact format: all
-- columns in one file instead of two files per column. An insert of ~10k events (~2.5 MB)
-- and the merges of such parts then create a handful of files instead of ~40, and on this
-- 2-core machine the kernel's file creation was a large share of the merges' CPU (ext4 inode
-- allocation in perf). Measured under sustained ingest at batch 1000, 15 s runs: background
-- merges 0.25-0.29 -> 0.17-0.19 cores, acknowledged events/s +5-10% (3 alternating pairs;
-- docs/benchmarks.md). Larger parts (history merged over days) stay Wide, the layout that
-- reads a few columns of many rows best.
ALTER TABLE {db}.events MODIFY SETTING min_bytes_for_wide_part = 134217728;
