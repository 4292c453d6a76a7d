# faiss 1.7.3 on the codes of IndexBenchmark's index (the same codes, read from the segment file), 2 threads:
# IndexBinaryFlat k = 100 (8 queries, as IndexBenchmark.scanKnn100, and 64) and IndexBinaryMultiHash 4 x 16 bits radius <= 2
# (range_search(x, 3): faiss keeps d < radius; nflip = 0 is exact for d <= 3 with 4 substrings), 1,000 queries, and
# the multi-hash build (add) time. Prints one line per figure: name, value, unit, and results per query.
# Usage: faiss_index.py INDEX_FOLDER N   (INDEX_FOLDER made by IndexCodes: seg-1.dhseg, and INDEX_FOLDER.queries.u64)
# The segment's codes section starts at byte 128: N little-endian uint64 words, bit j of a code at bit 63 - j. Its
# 8 bytes per code are handed to faiss as they are: that permutes the bits of every code and query alike, which
# leaves every Hamming distance unchanged.
import sys, time, numpy as np, faiss
folder, n = sys.argv[1], int(sys.argv[2])
faiss.omp_set_num_threads(2)
codes = np.memmap(folder + '/seg-1.dhseg', dtype='<u8', mode='r', offset=128, shape=(n,))
xb = codes.view(np.uint8).reshape(n, 8)
xq = np.fromfile(folder + '.queries.u64', dtype='<u8').view(np.uint8).reshape(-1, 8)

def median_time(f, reps=3):
    f(); ts = []
    for _ in range(reps):
        t = time.perf_counter(); r = f(); ts.append(time.perf_counter() - t)
    ts.sort(); return ts[len(ts) // 2], r

flat = faiss.IndexBinaryFlat(64)
flat.add(np.ascontiguousarray(xb))
for nq in (8, 64):
    t, (D, I) = median_time(lambda: flat.search(xq[:nq], 100))
    print(f"flat_knn100_{nq}queries {nq / t:.2f} q/s ({nq * n / t / 1e9:.3f} G codes/s)")
del flat
t0 = time.perf_counter()
mh = faiss.IndexBinaryMultiHash(64, 4, 16)
mh.nflip = 0
mh.add(xb)
print(f"multihash4x16_build {time.perf_counter() - t0:.1f} s")
t, (lims, D, I) = median_time(lambda: mh.range_search(xq, 3))
print(f"multihash4x16_range_le2 {len(xq) / t:.1f} q/s {lims[-1] / len(xq):.1f} results/q"
      f" (queries 0, 1, 2: {lims[1] - lims[0]}, {lims[2] - lims[1]}, {lims[3] - lims[2]})")
