// softmax_cross_entropy.cl — fused, numerically stable softmax + cross-entropy over rows.
// logits [n, classes], labels [n] (class indices stored as floats).
// softmax_rows: one work-item per row: probs = exp(x - max) / sum exp(x - max);
//   rowLoss[r] = -log probs[r, label] = log(sum exp(x - max)) - (x[label] - max).
// mean_loss: one work-item sums the row losses in order: loss[0] = (1/n) sum rowLoss.
// softmax_cross_entropy_backward: gradLogits[r, c] = gradLoss[0] * (probs[r, c] - [c == label]) / n.

__kernel void softmax_rows(__global float* probs, __global float* rowLoss, __global const float* logits,
                           __global const float* labels, int n, int classes) {
    const int r = get_global_id(0);
    if (r >= n) return;
    const __global float* x = logits + (long) r * classes;
    __global float* p = probs + (long) r * classes;
    float max = x[0];
    for (int c = 1; c < classes; c++) max = fmax(max, x[c]);
    float sum = 0.0f;
    for (int c = 0; c < classes; c++) {
        const float e = exp(x[c] - max);
        p[c] = e;
        sum += e;
    }
    const float inv = 1.0f / sum;
    for (int c = 0; c < classes; c++) p[c] *= inv;
    const int label = (int) labels[r];
    rowLoss[r] = log(sum) - (x[label] - max);
}

__kernel void mean_loss(__global float* loss, __global const float* rowLoss, int n) {
    if (get_global_id(0) != 0) return;
    float acc = 0.0f;
    for (int r = 0; r < n; r++) acc += rowLoss[r];
    loss[0] = acc / n;
}

__kernel void softmax_cross_entropy_backward(__global float* gradLogits, __global const float* probs,
                                             __global const float* labels, __global const float* gradLoss,
                                             int n, int classes) {
    const long g = get_global_id(0);
    if (g >= (long) n * classes) return;
    const int r = g / classes;
    const int c = g % classes;
    const float target = c == (int) labels[r] ? 1.0f : 0.0f;
    gradLogits[g] = gradLoss[0] * (probs[g] - target) / n;
}
