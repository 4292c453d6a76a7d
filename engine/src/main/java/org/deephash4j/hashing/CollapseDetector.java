package org.deephash4j.hashing;

import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;
import org.deephash4j.tensor.Tensor;

/**
 * Warns when the codes of a batch stop differing: the known failure of the pairwise losses
 * trained from scratch (a PyTorch DHN on Fashion-MNIST with a LeNet-sized network collapsed
 * within 20 steps under Adam lr 1e-3: all outputs equal, loss stuck at log 2).
 *
 * <p>Method-independent: it looks only at the hash-layer outputs z [n, K] of a batch. A batch
 * counts as collapsed when all n sign codes are equal, or when the outputs barely vary across
 * the batch: mean over units of the across-batch standard deviation &lt; {@code minSpread} ·
 * (1 + mean |z|). The check copies z to the host, so it runs every {@code every} steps.
 * A warning is logged for the first collapsed batch and then at most once per {@code every}·100 steps.
 */
public final class CollapseDetector {
    private static final Logger LOG = Logger.getLogger(CollapseDetector.class.getName());
    /** Default relative spread under which the outputs count as "all equal". */
    public static final double DEFAULT_MIN_SPREAD = 1e-4;
    /** Default: check every 10th batch. */
    public static final int DEFAULT_EVERY = 10;

    private final String method;
    private final int every;
    private final double minSpread;
    private long step;
    private long collapsedBatches;
    private long lastWarnStep = Long.MIN_VALUE / 2;
    private int lastDistinct = -1;

    public CollapseDetector(String method) {
        this(method, DEFAULT_EVERY, DEFAULT_MIN_SPREAD);
    }

    public CollapseDetector(String method, int every, double minSpread) {
        if (every < 1) throw new IllegalArgumentException("CollapseDetector: every = " + every + ", expected >= 1");
        if (!(minSpread >= 0)) throw new IllegalArgumentException("CollapseDetector: minSpread = " + minSpread + ", expected >= 0");
        this.method = method;
        this.every = every;
        this.minSpread = minSpread;
    }

    /** Looks at this batch's outputs when the step is due; returns true when it checked and found a collapse. */
    public boolean observe(Tensor z) {
        long current = step++;
        if (current % every != 0) return false;
        boolean collapsed = isCollapsed(z.toArray(), z.dim(0), z.dim(1));
        if (collapsed) {
            collapsedBatches++;
            if (current - lastWarnStep >= (long) every * 100) {
                lastWarnStep = current;
                LOG.warning(method + ": the codes of the batch at step " + current + " no longer differ ("
                        + lastDistinct + " distinct code(s) in " + z.dim(0) + " outputs): training has collapsed to one code."
                        + " Lower the learning rate (e.g. Adam 1e-4) and normalise inputs to zero mean, unit variance.");
            }
        }
        return collapsed;
    }

    /** How many checked batches were collapsed so far. */
    public long collapsedBatches() {
        return collapsedBatches;
    }

    /** The rule, on host values z [n, bits] row-major. */
    boolean isCollapsed(float[] z, int n, int bits) {
        Set<String> codes = new HashSet<>();
        double spread = 0;
        double magnitude = 0;
        for (int k = 0; k < bits; k++) {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += z[i * bits + k];
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double d = z[i * bits + k] - mean;
                var += d * d;
                magnitude += Math.abs(z[i * bits + k]);
            }
            spread += Math.sqrt(var / n);
        }
        spread /= bits;
        magnitude /= (double) n * bits;
        for (int i = 0; i < n; i++) {
            StringBuilder code = new StringBuilder(bits);
            for (int k = 0; k < bits; k++) code.append(z[i * bits + k] >= 0 ? '1' : '0');
            codes.add(code.toString());
        }
        lastDistinct = codes.size();
        return n >= 2 && (codes.size() == 1 || spread < minSpread * (1 + magnitude));
    }
}
