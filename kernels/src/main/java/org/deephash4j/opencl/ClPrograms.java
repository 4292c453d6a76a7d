package org.deephash4j.opencl;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * Builds the {@code .cl} sources (resources beside this class) for one context and caches one
 * program per (file, build options), so each is compiled once per context; kernels are
 * created once per program and reused. A failed build throws a {@link ClException} holding
 * the compiler's build log. Not thread-safe: the owning backend serialises access.
 */
final class ClPrograms implements AutoCloseable {
    private final cl_context context;
    private final cl_device_id device;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();

    ClPrograms(cl_context context, cl_device_id device) {
        this.context = context;
        this.device = device;
    }

    /** Kernel {@code name} of {@code file} (e.g. {@code gemm.cl}) built with {@code options}. */
    cl_kernel kernel(String file, String options, String name) {
        String key = file + "|" + options + "|" + name;
        cl_kernel kernel = kernels.get(key);
        if (kernel == null) {
            cl_program program = program(file, options);
            int[] status = new int[1];
            kernel = clCreateKernel(program, name, status);
            ClException.check(status[0], "clCreateKernel " + name + " from " + file);
            kernels.put(key, kernel);
        }
        return kernel;
    }

    /** The program of {@code file} built with {@code options}, built on first use. */
    cl_program program(String file, String options) {
        String key = file + "|" + options;
        cl_program program = programs.get(key);
        if (program == null) {
            program = build(file, source(file), options);
            programs.put(key, program);
        }
        return program;
    }

    /** Builds {@code source} (named {@code file} in messages); on failure the exception holds the build log. */
    cl_program build(String file, String source, String options) {
        int[] status = new int[1];
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, status);
        ClException.check(status[0], "clCreateProgramWithSource " + file);
        int built = JvmSignalHandlers.keep(() -> clBuildProgram(program, 1, new cl_device_id[] {device}, options, null, null));
        if (built != CL_SUCCESS) {
            String log = buildLog(program);
            clReleaseProgram(program);
            throw new ClException("clBuildProgram " + file + " with options \"" + options + "\" failed: "
                    + ClException.statusName(built) + "; build log:\n" + log, built);
        }
        return program;
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size) != CL_SUCCESS) {
            return "(no build log)";
        }
        byte[] bytes = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) end++;
        return new String(bytes, 0, end, StandardCharsets.UTF_8).strip();
    }

    private static String source(String file) {
        try (InputStream in = ClPrograms.class.getResourceAsStream(file)) {
            if (in == null) throw new IllegalStateException("OpenCL source " + file + " is missing from the kernels jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading OpenCL source " + file, e);
        }
    }

    /** Number of programs built so far (tests check the cache). */
    int programCount() {
        return programs.size();
    }

    @Override
    public void close() {
        List<cl_kernel> ks = new ArrayList<>(kernels.values());
        for (cl_kernel k : ks) clReleaseKernel(k);
        for (cl_program p : programs.values()) clReleaseProgram(p);
        kernels.clear();
        programs.clear();
    }
}
