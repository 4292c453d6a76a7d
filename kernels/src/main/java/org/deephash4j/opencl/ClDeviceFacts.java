package org.deephash4j.opencl;

import static org.jocl.CL.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * The facts {@link OpenClBackend#deviceFacts()} reports, read from the driver: the platform and
 * its version, the device, its OpenCL and OpenCL C versions and the driver version, compute units
 * and clock, the memory sizes, the work-group and work-item limits, double-precision support,
 * and the choices the launchers made for this device (GEMM tile, convolution algorithm). A
 * query the driver refuses becomes {@code "unavailable (CL_...)"} rather than an error: the
 * doctor must print what it can of a misbehaving driver.
 */
final class ClDeviceFacts {
    private ClDeviceFacts() {
    }

    static Map<String, String> of(OpenClBackend backend) {
        ClDevice d = backend.device();
        cl_device_id id = d.device();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("backend", backend.name());
        facts.put("device", backend.deviceName());
        facts.put("platform", d.platformName() + ", " + platformString(d.platform(), CL_PLATFORM_VERSION)
                + " (" + platformString(d.platform(), CL_PLATFORM_VENDOR) + ")");
        facts.put("vendor", d.vendor());
        facts.put("type", d.type());
        facts.put("OpenCL version", d.version());
        facts.put("OpenCL C version", deviceString(id, CL_DEVICE_OPENCL_C_VERSION));
        facts.put("driver version", deviceString(id, CL_DRIVER_VERSION));
        facts.put("compute units", Integer.toString(d.computeUnits()));
        facts.put("max clock", deviceInt(id, CL_DEVICE_MAX_CLOCK_FREQUENCY) + " MHz");
        facts.put("global memory", mib(d.globalMemBytes()));
        facts.put("largest buffer", mib(d.maxAllocBytes()));
        facts.put("local memory", (d.localMemBytes() >> 10) + " KiB (" + localMemoryType(id) + ")");
        facts.put("max work-group size", Long.toString(d.maxWorkGroupSize()));
        facts.put("max work-item sizes", workItemSizes(id));
        facts.put("preferred float vector width", deviceInt(id, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT));
        facts.put("double precision", deviceString(id, CL_DEVICE_EXTENSIONS).contains("cl_khr_fp64") ? "yes" : "no");
        facts.put("gemm tile", backend.gemm().tile() + "x" + backend.gemm().tile());
        facts.put("conv2d algorithm", backend.conv2d().algorithm());
        facts.put("JVM signal handlers", JvmSignalHandlers.describe());
        return facts;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }

    private static String localMemoryType(cl_device_id id) {
        try {
            return intOf(id, CL_DEVICE_LOCAL_MEM_TYPE) == CL_LOCAL ? "dedicated" : "in global memory";
        } catch (ClException e) {
            return "type unavailable";
        }
    }

    private static String workItemSizes(cl_device_id id) {
        try {
            int dims = (int) intOf(id, CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS);
            ByteBuffer buffer = ByteBuffer.allocate(dims * Sizeof.size_t).order(ByteOrder.nativeOrder());
            ClException.check(clGetDeviceInfo(id, CL_DEVICE_MAX_WORK_ITEM_SIZES, (long) dims * Sizeof.size_t,
                    Pointer.to(buffer), null), "clGetDeviceInfo CL_DEVICE_MAX_WORK_ITEM_SIZES");
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < dims; i++) {
                if (i > 0) b.append(" x ");
                b.append(Sizeof.size_t == 8 ? buffer.getLong(i * 8) : buffer.getInt(i * 4));
            }
            return b.toString();
        } catch (ClException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static String deviceString(cl_device_id id, int param) {
        try {
            return ClDevices.deviceString(id, param);
        } catch (ClException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static String deviceInt(cl_device_id id, int param) {
        try {
            return Long.toString(intOf(id, param));
        } catch (ClException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static long intOf(cl_device_id id, int param) {
        int[] value = new int[1];
        ClException.check(clGetDeviceInfo(id, param, Sizeof.cl_uint, Pointer.to(value), null), "clGetDeviceInfo");
        return value[0] & 0xFFFFFFFFL;
    }

    private static String platformString(cl_platform_id platform, int param) {
        try {
            long[] size = new long[1];
            ClException.check(clGetPlatformInfo(platform, param, 0, null, size), "clGetPlatformInfo");
            byte[] bytes = new byte[(int) size[0]];
            ClException.check(clGetPlatformInfo(platform, param, bytes.length, Pointer.to(bytes), null), "clGetPlatformInfo");
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) end++;
            return new String(bytes, 0, end, StandardCharsets.UTF_8).trim();
        } catch (ClException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }
}
