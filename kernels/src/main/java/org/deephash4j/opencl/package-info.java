/**
 * The OpenCL backend: the engine's {@link org.deephash4j.backend.Backend} on any OpenCL device,
 * through JOCL, found by {@code Backends.get("opencl:N")} through ServiceLoader
 * ({@link org.deephash4j.opencl.OpenClBackendProvider}).
 *
 * <p>{@link org.deephash4j.opencl.ClDevices} lists the devices; {@link org.deephash4j.opencl.OpenClBackend}
 * holds one context and in-order queue per device; {@code ClPrograms} builds the {@code .cl}
 * sources (resources beside these classes) once per context and puts the compiler's log into a
 * failed build's exception; {@link org.deephash4j.opencl.ClStorage} is a device buffer released by
 * {@code close()}; one launcher per {@code .cl} file ({@code ClGemm} for gemm.cl, {@code ClConv2d}
 * for conv2d.cl, {@code ClPool2d}, {@code ClElementwise}, {@code ClReduce},
 * {@code ClSoftmaxCrossEntropy}, {@code ClDropout}, {@code ClOptim}, and
 * {@link org.deephash4j.opencl.ClHamming} for hamming.cl). Every kernel is tested against the
 * CPU reference kernels on PoCL in CI.
 */
package org.deephash4j.opencl;
