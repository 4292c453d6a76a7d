// batch_norm.cl — batch normalisation over x [N, C, S] per channel c (S = H * W positions), M = N * S.
// y = (x - mean[c]) * invStd[c] * weight[c] + bias[c], invStd = 1 / sqrt(variance + eps).
// batch_norm_statistics: one work-group of GROUP items per channel; item l sums the channel's elements
//   l, l + GROUP, l + 2 * GROUP, ... (row-major over n, s) in order, then the GROUP partial sums are combined
//   by a fixed tree in local memory: first the mean, then the squared deviations from it (biased variance).
//   The order depends only on the sizes, so the bits do not change from run to run.
// batch_norm_normalize: one work-item per element, with given mean and variance (the batch's or the running ones).
// batch_norm_backward_reduce: one work-group per channel: gradBias[c] = sum dy, gradWeight[c] = sum dy * xhat.
// batch_norm_backward_data: one work-item per element: with batch statistics
//   dx = weight * invStd * (dy - gradBias / M - xhat * gradWeight / M), else dx = weight * invStd * dy.
#ifndef GROUP
#define GROUP 128   // work-group size of the per-channel reductions, a power of two; the host passes -DGROUP=...
#endif

// The sum of v over the work-group, combined in a fixed tree; every item gets it.
inline float group_sum(__local float* scratch, float v) {
    const int l = get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = GROUP / 2; width > 0; width >>= 1) {   // ("half" is an OpenCL type name)
        if (l < width) scratch[l] += scratch[l + width];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float total = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return total;
}

inline long element(long j, int c, int C, int S) {
    return ((j / S) * C + c) * (long) S + j % S;
}

__kernel void batch_norm_statistics(__global float* mean, __global float* variance, __global const float* input,
                                    int N, int C, int S) {
    __local float scratch[GROUP];
    const int c = get_group_id(0);
    const int l = get_local_id(0);
    const long M = (long) N * S;
    float acc = 0.0f;
    for (long j = l; j < M; j += GROUP) acc += input[element(j, c, C, S)];
    const float m = group_sum(scratch, acc) / M;
    acc = 0.0f;
    for (long j = l; j < M; j += GROUP) {
        const float d = input[element(j, c, C, S)] - m;
        acc += d * d;
    }
    const float v = group_sum(scratch, acc) / M;
    if (l == 0) {
        mean[c] = m;
        variance[c] = v;
    }
}

__kernel void batch_norm_normalize(__global float* output, __global const float* input, __global const float* mean,
                                   __global const float* variance, __global const float* weight,
                                   __global const float* bias, float eps, int N, int C, int S) {
    const long g = get_global_id(0);
    if (g >= (long) N * C * S) return;
    const int c = (g / S) % C;
    const float scale = 1.0f / sqrt(variance[c] + eps) * weight[c];
    output[g] = (input[g] - mean[c]) * scale + bias[c];
}

__kernel void batch_norm_backward_reduce(__global float* gradWeight, __global float* gradBias,
                                         __global const float* gradOutput, __global const float* input,
                                         __global const float* mean, __global const float* variance, float eps,
                                         int N, int C, int S) {
    __local float scratch[GROUP];
    const int c = get_group_id(0);
    const int l = get_local_id(0);
    const long M = (long) N * S;
    const float m = mean[c];
    const float invStd = 1.0f / sqrt(variance[c] + eps);
    float sumDy = 0.0f;
    float sumDyXhat = 0.0f;
    for (long j = l; j < M; j += GROUP) {
        const long at = element(j, c, C, S);
        const float dy = gradOutput[at];
        sumDy += dy;
        sumDyXhat += dy * ((input[at] - m) * invStd);
    }
    sumDy = group_sum(scratch, sumDy);
    sumDyXhat = group_sum(scratch, sumDyXhat);
    if (l == 0) {
        gradBias[c] = sumDy;
        gradWeight[c] = sumDyXhat;
    }
}

__kernel void batch_norm_backward_data(__global float* gradInput, __global const float* gradOutput,
                                       __global const float* input, __global const float* mean,
                                       __global const float* variance, __global const float* weight,
                                       __global const float* gradWeight, __global const float* gradBias, float eps,
                                       int batchStatistics, int N, int C, int S) {
    const long g = get_global_id(0);
    if (g >= (long) N * C * S) return;
    const int c = (g / S) % C;
    const float M = (float) ((long) N * S);
    const float invStd = 1.0f / sqrt(variance[c] + eps);
    const float xhat = (input[g] - mean[c]) * invStd;
    const float meanDy = batchStatistics ? gradBias[c] / M : 0.0f;
    const float meanDyXhat = batchStatistics ? gradWeight[c] / M : 0.0f;
    gradInput[g] = (gradOutput[g] - meanDy - xhat * meanDyXhat) * (weight[c] * invStd);
}
