// conv2d.cl — direct 2-D convolution, NCHW, square stride S and zero padding P.
// input [N, C, H, W], weight [OC, C, KH, KW], bias [OC], output [N, OC, OH, OW],
// output[n, oc, oh, ow] = bias[oc] + sum_{c, kh, kw} weight[oc, c, kh, kw] * input[n, c, oh*S - P + kh, ow*S - P + kw].
// conv2d_forward: one work-item per output element.
// conv2d_backward_data: one work-item per input element, gathering every (oc, kh, kw) whose window
//   covers it (no atomics): gradInput[n, c, ih, iw] = sum weight[oc, c, kh, kw] * gradOutput[n, oc, oh, ow]
//   over oh*S - P + kh = ih, ow*S - P + kw = iw.
// conv2d_backward_filter: one work-item per weight element, summing over n, oh, ow in order.
// conv2d_backward_bias: one work-item per output channel.

__kernel void conv2d_forward(__global float* output, __global const float* input, __global const float* weight,
                             __global const float* bias, int hasBias,
                             int N, int C, int H, int W, int OC, int KH, int KW, int S, int P, int OH, int OW) {
    const long g = get_global_id(0);
    if (g >= (long) N * OC * OH * OW) return;
    const int ow = g % OW;
    const int oh = (g / OW) % OH;
    const int oc = (g / ((long) OW * OH)) % OC;
    const int n = g / ((long) OW * OH * OC);
    float acc = 0.0f;
    for (int c = 0; c < C; c++) {
        const __global float* in = input + ((long) n * C + c) * H * W;
        const __global float* w = weight + ((long) oc * C + c) * KH * KW;
        for (int kh = 0; kh < KH; kh++) {
            const int ih = oh * S - P + kh;
            if (ih < 0 || ih >= H) continue;
            for (int kw = 0; kw < KW; kw++) {
                const int iw = ow * S - P + kw;
                if (iw < 0 || iw >= W) continue;
                acc += w[kh * KW + kw] * in[(long) ih * W + iw];
            }
        }
    }
    output[g] = hasBias ? acc + bias[oc] : acc;
}

__kernel void conv2d_backward_data(__global float* gradInput, __global const float* gradOutput,
                                   __global const float* weight,
                                   int N, int C, int H, int W, int OC, int KH, int KW, int S, int P, int OH, int OW) {
    const long g = get_global_id(0);
    if (g >= (long) N * C * H * W) return;
    const int iw = g % W;
    const int ih = (g / W) % H;
    const int c = (g / ((long) W * H)) % C;
    const int n = g / ((long) W * H * C);
    float acc = 0.0f;
    for (int oc = 0; oc < OC; oc++) {
        const __global float* go = gradOutput + ((long) n * OC + oc) * OH * OW;
        const __global float* w = weight + ((long) oc * C + c) * KH * KW;
        for (int kh = 0; kh < KH; kh++) {
            const int th = ih + P - kh;          // = oh * S
            if (th < 0 || th % S != 0) continue;
            const int oh = th / S;
            if (oh >= OH) continue;
            for (int kw = 0; kw < KW; kw++) {
                const int tw = iw + P - kw;      // = ow * S
                if (tw < 0 || tw % S != 0) continue;
                const int ow = tw / S;
                if (ow >= OW) continue;
                acc += w[kh * KW + kw] * go[(long) oh * OW + ow];
            }
        }
    }
    gradInput[g] = acc;
}

__kernel void conv2d_backward_filter(__global float* gradWeight, __global const float* gradOutput,
                                     __global const float* input,
                                     int N, int C, int H, int W, int OC, int KH, int KW, int S, int P, int OH, int OW) {
    const long g = get_global_id(0);
    if (g >= (long) OC * C * KH * KW) return;
    const int kw = g % KW;
    const int kh = (g / KW) % KH;
    const int c = (g / ((long) KW * KH)) % C;
    const int oc = g / ((long) KW * KH * C);
    float acc = 0.0f;
    for (int n = 0; n < N; n++) {
        const __global float* go = gradOutput + ((long) n * OC + oc) * OH * OW;
        const __global float* in = input + ((long) n * C + c) * H * W;
        for (int oh = 0; oh < OH; oh++) {
            const int ih = oh * S - P + kh;
            if (ih < 0 || ih >= H) continue;
            for (int ow = 0; ow < OW; ow++) {
                const int iw = ow * S - P + kw;
                if (iw < 0 || iw >= W) continue;
                acc += go[(long) oh * OW + ow] * in[(long) ih * W + iw];
            }
        }
    }
    gradWeight[g] = acc;
}

__kernel void conv2d_backward_bias(__global float* gradBias, __global const float* gradOutput, int N, int OC,
                                   int OH, int OW) {
    const int oc = get_global_id(0);
    if (oc >= OC) return;
    float acc = 0.0f;
    for (int n = 0; n < N; n++) {
        const __global float* go = gradOutput + ((long) n * OC + oc) * OH * OW;
        for (int q = 0; q < OH * OW; q++) acc += go[q];
    }
    gradBias[oc] = acc;
}

// ---- im2col + GEMM path (ClConv2d chooses it or the direct kernels above) ----
// col [C*KH*KW, N*OH*OW]: col[(c, kh, kw), (n, oh, ow)] = input[n, c, oh*S - P + kh, ow*S - P + kw] (0 outside),
// so output' [OC, N*OH*OW] = weight [OC, C*KH*KW] · col is one GEMM for the whole batch.

__kernel void im2col(__global float* col, __global const float* input,
                     int N, int C, int H, int W, int KH, int KW, int S, int P, int OH, int OW) {
    const long cols = (long) N * OH * OW;
    const long g = get_global_id(0);
    if (g >= (long) C * KH * KW * cols) return;
    const long j = g % cols;
    const int r = g / cols;
    const int kw = r % KW;
    const int kh = (r / KW) % KH;
    const int c = r / (KW * KH);
    const int ow = j % OW;
    const int oh = (j / OW) % OH;
    const int n = j / ((long) OW * OH);
    const int ih = oh * S - P + kh;
    const int iw = ow * S - P + kw;
    col[g] = (ih >= 0 && ih < H && iw >= 0 && iw < W) ? input[(((long) n * C + c) * H + ih) * W + iw] : 0.0f;
}

// output[n, oc, p] = out2[oc, n * OHW + p] (+ bias[oc])
__kernel void channels_first_to_batch_first(__global float* output, __global const float* out2,
                                            __global const float* bias, int hasBias, int N, int OC, int OHW) {
    const long g = get_global_id(0);
    if (g >= (long) N * OC * OHW) return;
    const int p = g % OHW;
    const int oc = (g / OHW) % OC;
    const int n = g / ((long) OHW * OC);
    const float v = out2[((long) oc * N + n) * OHW + p];
    output[g] = hasBias ? v + bias[oc] : v;
}

// out2[oc, n * OHW + p] = gradOutput[n, oc, p]
__kernel void batch_first_to_channels_first(__global float* out2, __global const float* gradOutput,
                                            int N, int OC, int OHW) {
    const long g = get_global_id(0);
    if (g >= (long) N * OC * OHW) return;
    const int p = g % OHW;
    const int n = (g / OHW) % N;
    const int oc = g / ((long) OHW * N);
    out2[g] = gradOutput[((long) n * OC + oc) * OHW + p];
}

// gradInput[n, c, ih, iw] = sum over (kh, kw) with oh*S - P + kh = ih, ow*S - P + kw = iw of gradCol[(c, kh, kw), (n, oh, ow)]
__kernel void col2im(__global float* gradInput, __global const float* gradCol,
                     int N, int C, int H, int W, int KH, int KW, int S, int P, int OH, int OW) {
    const long g = get_global_id(0);
    if (g >= (long) N * C * H * W) return;
    const int iw = g % W;
    const int ih = (g / W) % H;
    const int c = (g / ((long) W * H)) % C;
    const int n = g / ((long) W * H * C);
    const long cols = (long) N * OH * OW;
    float acc = 0.0f;
    for (int kh = 0; kh < KH; kh++) {
        const int th = ih + P - kh;
        if (th < 0 || th % S != 0) continue;
        const int oh = th / S;
        if (oh >= OH) continue;
        for (int kw = 0; kw < KW; kw++) {
            const int tw = iw + P - kw;
            if (tw < 0 || tw % S != 0) continue;
            const int ow = tw / S;
            if (ow >= OW) continue;
            acc += gradCol[((long) (c * KH + kh) * KW + kw) * cols + ((long) n * OH + oh) * OW + ow];
        }
    }
    gradInput[g] = acc;
}
