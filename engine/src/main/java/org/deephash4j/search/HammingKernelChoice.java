package org.deephash4j.search;

import java.lang.System.Logger.Level;

/** Picks the Hamming kernels once per JVM for {@link HammingKernels#best()}. */
final class HammingKernelChoice {
    static final HammingKernels BEST = choose();

    private HammingKernelChoice() {
    }

    private static HammingKernels choose() {
        String forced = System.getProperty("deephash.search.kernels", "");
        if (forced.equals("reference")) return HammingKernels.reference();
        if (forced.equals("vector")) return HammingKernels.vector();
        if (!forced.isEmpty()) {
            throw new IllegalArgumentException("-Ddeephash.search.kernels=" + forced
                    + ": expected reference or vector");
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) return HammingKernels.vector();
        System.getLogger("org.deephash4j.search").log(Level.INFO, "Vector API not available (start java with "
                + "--add-modules jdk.incubator.vector); using scalar reference Hamming kernels");
        return HammingKernels.reference();
    }
}
