// dropout.cl — inverted-dropout mask from a counter-based generator:
// mask[i] = 0 if uniform(seed, i) < p, else scale = 1 / (1 - p) (computed by the host in float).
// counter_bits is backend.CounterRandom.bits bit for bit: SplitMix64's finaliser on
// seed + (i + 1) * golden gamma, in 64-bit unsigned arithmetic (Java's long wraps the same way,
// and Java's >>> is OpenCL's >> on ulong).

inline ulong counter_bits(ulong seed, ulong index) {
    ulong z = seed + (index + 1UL) * 0x9E3779B97F4A7C15UL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    return z ^ (z >> 31);
}

// top 24 bits as a float in [0, 1): exact in float32
inline float counter_uniform(ulong seed, ulong index) {
    return (float) (counter_bits(seed, index) >> 40) * 0x1.0p-24f;
}

__kernel void dropout_mask(__global float* mask, float p, float scale, long seed, long n) {
    const long i = get_global_id(0);
    if (i < n) mask[i] = counter_uniform((ulong) seed, (ulong) i) < p ? 0.0f : scale;
}
