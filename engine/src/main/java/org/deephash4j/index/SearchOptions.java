package org.deephash4j.index;

import org.deephash4j.backend.Backend;
import org.deephash4j.search.SearchThreads;

/**
 * How to search an index: the {@link SearchMethod}, the device that scans (null, or a backend without Hamming
 * kernels such as the CPU backend: the CPU, with the Vector API; an OpenCL {@link Backend} scans on its device), an
 * optional {@link IdFilter}, and the worker threads of a CPU search. Immutable; {@code withXxx} returns a changed copy.
 *
 * @param method  auto, scan or mih
 * @param device  the backend whose device scans, or null for the CPU
 * @param filter  only ids in this set are answers; null for all
 * @param threads CPU workers, >= 1 (the answer does not depend on it)
 */
public record SearchOptions(SearchMethod method, Backend device, IdFilter filter, int threads) {
    public SearchOptions {
        if (method == null) throw new IllegalArgumentException("SearchOptions: method is null");
        if (threads < 1) throw new IllegalArgumentException("SearchOptions: threads = " + threads + ", expected >= 1");
    }

    /** auto, on the CPU, no filter, all available processors. */
    public static SearchOptions defaults() {
        return new SearchOptions(SearchMethod.AUTO, null, null, SearchThreads.defaultThreads());
    }

    public SearchOptions withMethod(SearchMethod m) {
        return new SearchOptions(m, device, filter, threads);
    }

    public SearchOptions withDevice(Backend d) {
        return new SearchOptions(method, d, filter, threads);
    }

    public SearchOptions withFilter(IdFilter f) {
        return new SearchOptions(method, device, f, threads);
    }

    public SearchOptions withThreads(int t) {
        return new SearchOptions(method, device, filter, t);
    }
}
