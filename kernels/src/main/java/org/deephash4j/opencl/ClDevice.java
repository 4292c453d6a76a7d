package org.deephash4j.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as {@link ClDevices} found it: {@code index} is N in {@code opencl:N}
 * (devices of all platforms, numbered in platform order), with the properties worth printing.
 */
public record ClDevice(int index, cl_platform_id platform, cl_device_id device, String name, String platformName,
                       String vendor, String type, String version, int computeUnits, long globalMemBytes,
                       long maxAllocBytes, long localMemBytes, long maxWorkGroupSize) {

    /** {@code opencl:0 "pthread-skylake-avx512-AMD EPYC" (PoCL, CPU)}. */
    public String describe() {
        return "opencl:" + index + " \"" + name + "\" (" + shortPlatform() + ", " + type + ")";
    }

    /** The one-line summary plus the properties a user choosing a device wants. */
    public String describeLong() {
        return describe() + ": " + version + ", " + computeUnits + " compute units, "
                + (globalMemBytes >> 20) + " MiB global memory, largest buffer " + (maxAllocBytes >> 20) + " MiB, "
                + (localMemBytes >> 10) + " KiB local memory, work-group size up to " + maxWorkGroupSize;
    }

    /** The platform name, PoCL for the Portable Computing Language. */
    String shortPlatform() {
        return platformName.equals("Portable Computing Language") ? "PoCL" : platformName;
    }
}
