package org.deephash4j.opencl;

import static org.jocl.CL.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Lists the OpenCL devices of every platform, numbered across platforms in the order the ICD
 * loader reports them ({@code opencl:0}, {@code opencl:1}, ...). With no platform at all (no
 * ICD loader, or a loader with no driver behind it) it throws an {@link IllegalStateException}
 * whose message names the Debian packages that provide one.
 */
public final class ClDevices {
    /** The message for a machine without OpenCL, with the packages that fix it. */
    public static final String NO_PLATFORM = "no OpenCL platform found: install ocl-icd-opencl-dev (the loader "
            + "libOpenCL.so that JOCL opens) and pocl-opencl-icd (an OpenCL device on the CPU), or a GPU vendor's driver";

    private static volatile List<ClDevice> cached;

    private ClDevices() {
    }

    /** Every device of every platform; throws IllegalStateException with {@link #NO_PLATFORM} when there is none. */
    public static List<ClDevice> list() {
        List<ClDevice> devices = cached;
        if (devices == null) {
            devices = JvmSignalHandlers.keep(ClDevices::enumerate);   // the driver (LLVM in PoCL) starts here
            cached = devices;
        }
        return devices;
    }

    /** True when at least one OpenCL device can be opened. */
    public static boolean available() {
        try {
            return !list().isEmpty();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Device {@code opencl:index}; IllegalArgumentException naming the devices there are otherwise. */
    public static ClDevice get(int index) {
        List<ClDevice> devices = list();
        if (index < 0 || index >= devices.size()) {
            List<String> names = new ArrayList<>();
            for (ClDevice d : devices) names.add(d.describe());
            throw new IllegalArgumentException("opencl:" + index + " does not exist; devices: " + String.join(", ", names));
        }
        return devices.get(index);
    }

    private static List<ClDevice> enumerate() {
        cl_platform_id[] platforms;
        try {
            int[] count = new int[1];
            int status = clGetPlatformIDs(0, null, count);
            if (status != CL_SUCCESS || count[0] == 0) {
                throw new IllegalStateException(NO_PLATFORM + " (clGetPlatformIDs: " + ClException.statusName(status)
                        + ", " + count[0] + " platforms)");
            }
            platforms = new cl_platform_id[count[0]];
            ClException.check(clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs");
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException(NO_PLATFORM + " (" + e.getMessage() + ")", e);
        }
        List<ClDevice> devices = new ArrayList<>();
        for (cl_platform_id platform : platforms) {
            int[] count = new int[1];
            int status = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
            if (status == CL_DEVICE_NOT_FOUND || count[0] == 0) continue;
            ClException.check(status, "clGetDeviceIDs");
            cl_device_id[] ids = new cl_device_id[count[0]];
            ClException.check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null), "clGetDeviceIDs");
            String platformName = platformString(platform, CL_PLATFORM_NAME);
            for (cl_device_id id : ids) {
                devices.add(new ClDevice(devices.size(), platform, id, deviceString(id, CL_DEVICE_NAME), platformName,
                        deviceString(id, CL_DEVICE_VENDOR), typeName(deviceLong(id, CL_DEVICE_TYPE)),
                        deviceString(id, CL_DEVICE_VERSION), (int) deviceInt(id, CL_DEVICE_MAX_COMPUTE_UNITS),
                        deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE), deviceLong(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                        deviceLong(id, CL_DEVICE_LOCAL_MEM_SIZE), deviceSize(id, CL_DEVICE_MAX_WORK_GROUP_SIZE)));
            }
        }
        if (devices.isEmpty()) {
            throw new IllegalStateException(NO_PLATFORM + " (" + platforms.length + " platforms, none with a device)");
        }
        return List.copyOf(devices);
    }

    private static String typeName(long type) {
        if ((type & CL_DEVICE_TYPE_GPU) != 0) return "GPU";
        if ((type & CL_DEVICE_TYPE_CPU) != 0) return "CPU";
        if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) return "accelerator";
        return "other";
    }

    private static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        ClException.check(clGetPlatformInfo(platform, param, 0, null, size), "clGetPlatformInfo");
        byte[] bytes = new byte[(int) size[0]];
        ClException.check(clGetPlatformInfo(platform, param, bytes.length, Pointer.to(bytes), null), "clGetPlatformInfo");
        return cString(bytes);
    }

    static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        ClException.check(clGetDeviceInfo(device, param, 0, null, size), "clGetDeviceInfo");
        byte[] bytes = new byte[(int) size[0]];
        ClException.check(clGetDeviceInfo(device, param, bytes.length, Pointer.to(bytes), null), "clGetDeviceInfo");
        return cString(bytes);
    }

    private static long deviceLong(cl_device_id device, int param) {
        long[] value = new long[1];
        ClException.check(clGetDeviceInfo(device, param, Sizeof.cl_long, Pointer.to(value), null), "clGetDeviceInfo");
        return value[0];
    }

    private static long deviceInt(cl_device_id device, int param) {
        int[] value = new int[1];
        ClException.check(clGetDeviceInfo(device, param, Sizeof.cl_int, Pointer.to(value), null), "clGetDeviceInfo");
        return value[0];
    }

    private static long deviceSize(cl_device_id device, int param) {
        ByteBuffer buffer = ByteBuffer.allocate(Sizeof.size_t).order(ByteOrder.nativeOrder());
        ClException.check(clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(buffer), null), "clGetDeviceInfo");
        return Sizeof.size_t == 8 ? buffer.getLong(0) : buffer.getInt(0);
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) end++;
        return new String(bytes, 0, end, StandardCharsets.UTF_8).trim();
    }
}
