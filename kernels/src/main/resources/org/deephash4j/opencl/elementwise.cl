// elementwise.cl — one work-item per element: fill, copy, unary functions and their
// derivatives, binary ops, broadcast over a middle axis, affine, axpy.
// Unary and binary op codes are the ordinals the host maps from UnaryOp and BinaryOp (ClElementwise).

#define RELU 0
#define SIGMOID 1
#define TANH 2
#define EXP 3
#define LOG 4
#define ABS 5
#define SIGN 6
#define SOFTPLUS 7
#define LOG_COSH 8
#define SQUARE 9
#define NEG 10

#define ADD 0
#define SUB 1
#define MUL 2
#define DIV 3

#define LN2 0.69314718055994530942f

// 1 / (1 + e^-x) without overflow: e^-|x| never exceeds 1.
inline float sigmoid_stable(float x) {
    if (x >= 0.0f) return 1.0f / (1.0f + exp(-x));
    const float e = exp(x);
    return e / (1.0f + e);
}

inline float apply_unary(int op, float x) {
    switch (op) {
        case RELU: return x > 0.0f ? x : 0.0f;
        case SIGMOID: return sigmoid_stable(x);
        case TANH: return tanh(x);
        case EXP: return exp(x);
        case LOG: return log(x);
        case ABS: return fabs(x);
        case SIGN: return x >= 0.0f ? 1.0f : -1.0f;
        case SOFTPLUS: return fmax(x, 0.0f) + log1p(exp(-fabs(x)));
        case LOG_COSH: return fabs(x) + log1p(exp(-2.0f * fabs(x))) - LN2;
        case SQUARE: return x * x;
        case NEG: return -x;
        default: return NAN;
    }
}

// dy/dx in terms of x (input) or y (output), whichever UnaryOp names.
inline float unary_derivative(int op, float x, float y) {
    switch (op) {
        case RELU: return x > 0.0f ? 1.0f : 0.0f;
        case SIGMOID: return y * (1.0f - y);
        case TANH: return 1.0f - y * y;
        case EXP: return y;
        case LOG: return 1.0f / x;
        case ABS: return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f);
        case SIGN: return 0.0f;
        case SOFTPLUS: return sigmoid_stable(x);
        case LOG_COSH: return tanh(x);
        case SQUARE: return 2.0f * x;
        case NEG: return -1.0f;
        default: return NAN;
    }
}

inline float apply_binary(int op, float a, float b) {
    switch (op) {
        case ADD: return a + b;
        case SUB: return a - b;
        case MUL: return a * b;
        case DIV: return a / b;
        default: return NAN;
    }
}

__kernel void fill(__global float* out, long outOff, float value, long n) {
    const long i = get_global_id(0);
    if (i < n) out[outOff + i] = value;
}

__kernel void unary(int op, __global float* out, __global const float* in, long n) {
    const long i = get_global_id(0);
    if (i < n) out[i] = apply_unary(op, in[i]);
}

// The derivative of RELU, ABS, LOG, SOFTPLUS, LOG_COSH, SQUARE reads x; of SIGMOID, TANH, EXP reads y.
__kernel void unary_backward(int op, __global float* gradInput, __global const float* gradOutput,
                             __global const float* input, __global const float* output, int readsInput,
                             int readsOutput, long n) {
    const long i = get_global_id(0);
    if (i < n) {
        const float x = readsInput ? input[i] : 0.0f;
        const float y = readsOutput ? output[i] : 0.0f;
        gradInput[i] = gradOutput[i] * unary_derivative(op, x, y);
    }
}

__kernel void binary(int op, __global float* out, __global const float* a, __global const float* b, long n) {
    const long i = get_global_id(0);
    if (i < n) out[i] = apply_binary(op, a[i], b[i]);
}

// out[o, m, i] = a[o, m, i] op b[m]
__kernel void broadcast(int op, __global float* out, __global const float* a, __global const float* b,
                        int mid, int inner, long n) {
    const long i = get_global_id(0);
    if (i < n) {
        const int m = (int) ((i / inner) % mid);
        out[i] = apply_binary(op, a[i], b[m]);
    }
}

__kernel void affine(__global float* out, __global const float* in, float scale, float shift, long n) {
    const long i = get_global_id(0);
    if (i < n) out[i] = scale * in[i] + shift;
}

__kernel void axpy(__global float* y, float alpha, __global const float* x, long n) {
    const long i = get_global_id(0);
    if (i < n) y[i] += alpha * x[i];
}
