// The limit for a linear Hamming scan on this machine: popcount(x ^ q) summed over n 64-bit codes,
// compiled with -O3 -march=native (gcc vectorises it with VPOPCNTQ), 2 threads; prints G codes/s
// for a database that fits in cache (1M codes, 8 MB) and one that does not (128M codes, 1 GB).
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <omp.h>
static double run(const uint64_t *x, size_t n, int reps) {
    volatile uint64_t sink = 0;
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t = omp_get_wtime();
        uint64_t total = 0;
        #pragma omp parallel for reduction(+:total) schedule(static)
        for (size_t i = 0; i < n; i++) total += __builtin_popcountll(x[i] ^ 0x9E3779B97F4A7C15ULL);
        t = omp_get_wtime() - t;
        sink += total;
        if (t < best) best = t;
    }
    return n / best / 1e9;
}
int main(void) {
    size_t sizes[] = {1u << 20, (size_t) 1 << 27};
    for (int s = 0; s < 2; s++) {
        size_t n = sizes[s];
        uint64_t *x = aligned_alloc(64, n * 8);
        for (size_t i = 0; i < n; i++) x[i] = i * 0x9E3779B97F4A7C15ULL ^ (i >> 3);
        double g = run(x, n, s == 0 ? 200 : 5);
        printf("%zu codes (%zu MB): %.1f G codes/s (%.1f GB/s)\n", n, n * 8 >> 20, g, g * 8);
        free(x);
    }
    return 0;
}
