package org.deephash4j.doctor;

/**
 * The outcome of one kernel check on one device.
 *
 * @param kernel      the kernel, as {@link KernelCheck#kernel()} names it
 * @param cases       cases run
 * @param failedCases cases whose buffers disagreed with the reference or that threw
 * @param maxDiff     the largest absolute difference over every case and buffer (NaN when none ran)
 * @param worstShare  the largest share of its tolerance any element used (above 1 fails)
 * @param failure     the first failure: the case, buffer, first bad index, both values and the largest
 *                    difference, or the exception; null when every case passed
 * @param seconds     wall time of the check on this device, reference runs included
 */
public record CheckResult(String kernel, int cases, int failedCases, double maxDiff, double worstShare,
                          String failure, double seconds) {

    public boolean passed() {
        return failedCases == 0 && failure == null;
    }
}
