// reduce.cl — out[o, i] = sum over m of in[o, m, i], in of outer x mid x inner elements.
// sum_axis: one work-item per (o, i), summing m = 0, 1, ... in order.
// sum_chunks + sum_axis: for a long axis with few outputs, first partial sums over fixed chunks
// of CHUNK elements (partial[o, chunk, i]), then the chunks summed in order. Both orders are
// fixed, so a seed gives the same bits every run.
#ifndef CHUNK
#define CHUNK 1024   // elements per partial sum; the host passes -DCHUNK=...
#endif

__kernel void sum_axis(__global float* out, __global const float* in, int outer, int mid, int inner) {
    const long g = get_global_id(0);
    if (g >= (long) outer * inner) return;
    const long o = g / inner;
    const long i = g % inner;
    const __global float* p = in + o * mid * inner + i;
    float acc = 0.0f;
    for (int m = 0; m < mid; m++) acc += p[(long) m * inner];
    out[g] = acc;
}

// partial[o, c, i] = sum over m in [c * CHUNK, min((c + 1) * CHUNK, mid)) of in[o, m, i]
__kernel void sum_chunks(__global float* partial, __global const float* in, int outer, int mid, int inner,
                         int chunks) {
    const long g = get_global_id(0);
    if (g >= (long) outer * chunks * inner) return;
    const long i = g % inner;
    const long c = (g / inner) % chunks;
    const long o = g / ((long) inner * chunks);
    const long start = c * CHUNK;
    const long end = min(start + CHUNK, (long) mid);
    const __global float* p = in + o * mid * inner + i;
    float acc = 0.0f;
    for (long m = start; m < end; m++) acc += p[m * inner];
    partial[g] = acc;
}
