// adaptive_avg_pool2d.cl — PyTorch's AdaptiveAvgPool2d, NCHW: input [N, C, H, W], output [N, C, OH, OW];
// output cell (i, j) is the mean of rows [floor(i * H / OH), ceil((i + 1) * H / OH)) and columns
// [floor(j * W / OW), ceil((j + 1) * W / OW)).
// adaptive_avg_pool_forward: one work-item per output element, row-major window order.
// adaptive_avg_pool_backward: one work-item per input element, gathering every window that covers it
//   (rows i with floor(ih * OH / H) <= i <= floor(((ih + 1) * OH - 1) / H), the same for columns), no atomics.

inline int window_start(int i, int in, int out) {
    return (int) (((long) i * in) / out);
}

inline int window_end(int i, int in, int out) {
    return (int) (((long) (i + 1) * in + out - 1) / out);
}

__kernel void adaptive_avg_pool_forward(__global float* output, __global const float* input,
                                        int NC, int H, int W, int OH, int OW) {
    const long g = get_global_id(0);
    if (g >= (long) NC * OH * OW) return;
    const int j = g % OW;
    const int i = (g / OW) % OH;
    const long plane = g / ((long) OW * OH);
    const __global float* in = input + plane * H * W;
    const int r0 = window_start(i, H, OH), r1 = window_end(i, H, OH);
    const int c0 = window_start(j, W, OW), c1 = window_end(j, W, OW);
    float acc = 0.0f;
    for (int r = r0; r < r1; r++) {
        for (int c = c0; c < c1; c++) acc += in[(long) r * W + c];
    }
    output[g] = acc / ((r1 - r0) * (c1 - c0));
}

__kernel void adaptive_avg_pool_backward(__global float* gradInput, __global const float* gradOutput,
                                         int NC, int H, int W, int OH, int OW) {
    const long g = get_global_id(0);
    if (g >= (long) NC * H * W) return;
    const int iw = g % W;
    const int ih = (g / W) % H;
    const long plane = g / ((long) W * H);
    const __global float* go = gradOutput + plane * OH * OW;
    const int iLo = (int) (((long) ih * OH) / H);
    const int iHi = min(OH - 1, (int) (((long) (ih + 1) * OH - 1) / H));
    const int jLo = (int) (((long) iw * OW) / W);
    const int jHi = min(OW - 1, (int) (((long) (iw + 1) * OW - 1) / W));
    float acc = 0.0f;
    for (int i = iLo; i <= iHi; i++) {
        const int r0 = window_start(i, H, OH), r1 = window_end(i, H, OH);
        if (ih < r0 || ih >= r1) continue;
        for (int j = jLo; j <= jHi; j++) {
            const int c0 = window_start(j, W, OW), c1 = window_end(j, W, OW);
            if (iw < c0 || iw >= c1) continue;
            acc += go[(long) i * OW + j] / ((r1 - r0) * (c1 - c0));
        }
    }
    gradInput[g] = acc;
}
