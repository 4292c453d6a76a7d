// Read bandwidth of one thread over arrays sized for L2, L3 and DRAM, printed every ~0.5 s, to see
// whether the L3-sized working set changes speed in phases while the others hold.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <immintrin.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static float sum(const float *a, size_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  for (size_t i = 0; i < n; i += 64) {
    s0 = _mm512_add_ps(s0, _mm512_load_ps(a + i)); s1 = _mm512_add_ps(s1, _mm512_load_ps(a + i + 16));
    s2 = _mm512_add_ps(s2, _mm512_load_ps(a + i + 32)); s3 = _mm512_add_ps(s3, _mm512_load_ps(a + i + 48));
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}
int main(int argc, char **argv) {
  size_t sizes[] = {512 << 10, 12 << 20, 256 << 20};   // bytes: L2, L3, DRAM
  const char *names[] = {"L2 512KB", "L3 12MB", "DRAM 256MB"};
  int rounds = argc > 1 ? atoi(argv[1]) : 20;
  float *a[3];
  for (int k = 0; k < 3; k++) { a[k] = aligned_alloc(64, sizes[k]); for (size_t i = 0; i < sizes[k] / 4; i++) a[k][i] = 1e-9f * i; }
  volatile float sink = 0;
  for (int r = 0; r < rounds; r++) {
    for (int k = 0; k < 3; k++) {
      size_t n = sizes[k] / 4; double t0 = now(), bytes = 0;
      while (now() - t0 < 0.5) { sink += sum(a[k], n); bytes += sizes[k]; }
      printf("%s %.1f GB/s  ", names[k], bytes / (now() - t0) / 1e9);
    }
    printf("\n"); fflush(stdout);
  }
  return 0;
}
