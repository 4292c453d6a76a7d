// optim.cl — optimizer updates, one work-item per parameter, in place.
// sgd_step (PyTorch's form): g = grad + wd * param; v = momentum * v + g (only when hasVelocity);
//   param -= lr * (hasVelocity ? v : g).
// adam_step (Kingma and Ba 2015, Algorithm 1) with L2 weight decay added to the gradient:
//   g = grad + wd * param; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
//   param -= lr * (m / bc1) / (sqrt(v / bc2) + eps), bc1 = 1 - b1^step and bc2 = 1 - b2^step from the host.

__kernel void sgd_step(__global float* param, __global const float* grad, __global float* velocity,
                       int hasVelocity, float lr, float momentum, float weightDecay, long n) {
    const long i = get_global_id(0);
    if (i >= n) return;
    const float g = grad[i] + weightDecay * param[i];
    if (hasVelocity) {
        const float v = momentum * velocity[i] + g;
        velocity[i] = v;
        param[i] -= lr * v;
    } else {
        param[i] -= lr * g;
    }
}

__kernel void adam_step(__global float* param, __global const float* grad, __global float* m, __global float* v,
                        float lr, float beta1, float beta2, float eps, float weightDecay, float bc1, float bc2,
                        long n) {
    const long i = get_global_id(0);
    if (i >= n) return;
    const float g = grad[i] + weightDecay * param[i];
    const float mi = beta1 * m[i] + (1.0f - beta1) * g;
    const float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] -= lr * (mi / bc1) / (sqrt(vi / bc2) + eps);
}
