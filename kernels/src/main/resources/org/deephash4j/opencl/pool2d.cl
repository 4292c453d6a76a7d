// pool2d.cl — max and average pooling, NCHW: a KH x KW window moved by S over the input padded by P.
// input [N, C, H, W], output [N, C, OH, OW]. Forward kernels: one work-item per output element.
// Backward kernels: one work-item per input element, gathering every window that covers it, in
// row-major window order (no atomics, fixed order).
// max: padded positions are ignored; the gradient goes to the first position (row-major in the
//   window) holding the window's maximum, found again from the forward's input and output.
// avg: divides by KH * KW (padding counts as zeros), gradient spread evenly.

__kernel void max_pool_forward(__global float* output, __global const float* input,
                               int NC, int H, int W, int KH, int KW, int S, int P, int OH, int OW) {
    const long g = get_global_id(0);
    if (g >= (long) NC * OH * OW) return;
    const int ow = g % OW;
    const int oh = (g / OW) % OH;
    const long plane = g / ((long) OW * OH);
    const __global float* in = input + plane * H * W;
    float best = -INFINITY;
    for (int kh = 0; kh < KH; kh++) {
        const int ih = oh * S - P + kh;
        if (ih < 0 || ih >= H) continue;
        for (int kw = 0; kw < KW; kw++) {
            const int iw = ow * S - P + kw;
            if (iw < 0 || iw >= W) continue;
            best = fmax(best, in[(long) ih * W + iw]);
        }
    }
    output[g] = best;
}

// The flat index ih * W + iw of the first position in window (oh, ow) holding value, or -1.
inline long first_max(const __global float* in, float value, int oh, int ow, int H, int W, int KH, int KW,
                      int S, int P) {
    for (int kh = 0; kh < KH; kh++) {
        const int ih = oh * S - P + kh;
        if (ih < 0 || ih >= H) continue;
        for (int kw = 0; kw < KW; kw++) {
            const int iw = ow * S - P + kw;
            if (iw < 0 || iw >= W) continue;
            if (in[(long) ih * W + iw] == value) return (long) ih * W + iw;
        }
    }
    return -1;
}

__kernel void max_pool_backward(__global float* gradInput, __global const float* gradOutput,
                                __global const float* input, __global const float* output,
                                int NC, int H, int W, int KH, int KW, int S, int P, int OH, int OW) {
    const long g = get_global_id(0);
    if (g >= (long) NC * H * W) return;
    const int iw = g % W;
    const int ih = (g / W) % H;
    const long plane = g / ((long) W * H);
    const long here = (long) ih * W + iw;
    const __global float* in = input + plane * H * W;
    const __global float* out = output + plane * OH * OW;
    const __global float* go = gradOutput + plane * OH * OW;
    // windows covering ih: oh * S - P <= ih <= oh * S - P + KH - 1
    const int ohLo = max(0, (ih + P - KH + S) / S);   // ceil((ih + P - KH + 1) / S) for ih + P - KH + 1 >= 0
    const int ohHi = min(OH - 1, (ih + P) / S);
    const int owLo = max(0, (iw + P - KW + S) / S);
    const int owHi = min(OW - 1, (iw + P) / S);
    float acc = 0.0f;
    for (int oh = ohLo; oh <= ohHi; oh++) {
        for (int ow = owLo; ow <= owHi; ow++) {
            const long o = (long) oh * OW + ow;
            if (first_max(in, out[o], oh, ow, H, W, KH, KW, S, P) == here) acc += go[o];
        }
    }
    gradInput[g] = acc;
}

__kernel void avg_pool_forward(__global float* output, __global const float* input,
                               int NC, int H, int W, int KH, int KW, int S, int P, int OH, int OW) {
    const long g = get_global_id(0);
    if (g >= (long) NC * OH * OW) return;
    const int ow = g % OW;
    const int oh = (g / OW) % OH;
    const long plane = g / ((long) OW * OH);
    const __global float* in = input + plane * H * W;
    float acc = 0.0f;
    for (int kh = 0; kh < KH; kh++) {
        const int ih = oh * S - P + kh;
        if (ih < 0 || ih >= H) continue;
        for (int kw = 0; kw < KW; kw++) {
            const int iw = ow * S - P + kw;
            if (iw < 0 || iw >= W) continue;
            acc += in[(long) ih * W + iw];
        }
    }
    output[g] = acc / (KH * KW);
}

__kernel void avg_pool_backward(__global float* gradInput, __global const float* gradOutput,
                                int NC, int H, int W, int KH, int KW, int S, int P, int OH, int OW) {
    const long g = get_global_id(0);
    if (g >= (long) NC * H * W) return;
    const int iw = g % W;
    const int ih = (g / W) % H;
    const long plane = g / ((long) W * H);
    const __global float* go = gradOutput + plane * OH * OW;
    const int ohLo = max(0, (ih + P - KH + S) / S);
    const int ohHi = min(OH - 1, (ih + P) / S);
    const int owLo = max(0, (iw + P - KW + S) / S);
    const int owHi = min(OW - 1, (iw + P) / S);
    float acc = 0.0f;
    for (int oh = ohLo; oh <= ohHi; oh++) {
        for (int ow = owLo; ow <= owHi; ow++) {
            acc += go[(long) oh * OW + ow];
        }
    }
    gradInput[g] = acc / (KH * KW);
}
