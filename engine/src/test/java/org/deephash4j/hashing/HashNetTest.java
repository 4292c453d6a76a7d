package org.deephash4j.hashing;

import static org.deephash4j.hashing.TestSupport.*;
import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.backend.UnaryOp;
import org.deephash4j.data.Labels;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

class HashNetTest {

    /**
     * METHODS.md 3.2/3.6, literally: h = tanh(βz); L = (1/|S|) Σ w_ij [softplus(α h_iᵀh_j) − s_ij α h_iᵀh_j],
     * w = c_ij |S|/|S₁| or |S|/|S₀|; c_ij = (y_iᵀy_j)²/((y_iᵀy_i)(y_jᵀy_j)) for similar multi-hot pairs.
     * cols/colLabels: the other side of the pairs (null = the batch itself, via h).
     */
    static double oracle(double[] z, Labels y, double[] cols, Labels colLabels, int n, int k, double alpha, double beta) {
        double[] h = new double[z.length];
        for (int i = 0; i < z.length; i++) h[i] = Math.tanh(beta * z[i]);
        double[] other = cols == null ? h : cols;
        Labels oy = colLabels == null ? y : colLabels;
        int m = oy.size();
        long total = (long) n * m;
        long similar = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) if (sharedLabels(y, i, oy, j) > 0) similar++;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                int shared = sharedLabels(y, i, oy, j);
                double s = shared > 0 ? 1 : 0;
                double w = s > 0 ? (double) total / similar : (double) total / (total - similar);
                if (s > 0 && y.isMultiHot()) w *= (double) shared * shared / ((double) y.count(i) * oy.count(j));
                double theta = alpha * dot(h, i, other, j, k);
                loss += w * (softplus(theta) - s * theta);
            }
        }
        return loss / total;
    }

    static int sharedLabels(Labels a, int i, Labels b, int j) {
        int c = 0;
        for (int q = 0; q < a.classes(); q++) if (a.has(i, q) && b.has(j, q)) c++;
        return c;
    }

    @Test
    void valueAndGradientMatchTheFormulaIncludingBalanceWeightsAndBeta() {
        int[][] shapes = {{2, 8}, {9, 12}, {16, 48}};
        for (int[] shape : shapes) {
            for (boolean multi : new boolean[] {false, true}) {
                int n = shape[0];
                int k = shape[1];
                long seed = 7 + n * 31L + k;
                Labels y = multi ? randomMultiHot(seed, n, 6) : randomLabels(seed, n, 4);
                double[] z = randn(seed, n * k, 0.5);
                HashNet net = new HashNet(k);
                net.setIteration(1399);                     // next step is 1400: β = (1 + 0.005·1400)^0.5 = √8
                double beta = net.beta();
                assertEquals(Math.sqrt(8), beta, 1e-6);
                Tensor zt = leaf(z, n, k);
                Tensor loss = net.lossOnOutputs(zt, y, null);
                String what = "HashNet n=" + n + " K=" + k + (multi ? " multi-hot" : "");
                double alpha = 10.0 / k;
                assertClose(what + " value", oracle(z, y, null, null, n, k, alpha, beta), loss.item(), 1e-5, 1e-5);
                float[] grad = gradientOf(loss, zt);
                double[] numeric = FiniteDifferences.gradient(x -> oracle(x, y, null, null, n, k, alpha, beta), z.clone());
                assertClose(what + " gradient", numeric, grad, 1e-6, 1e-3);
            }
        }
    }

    @Test
    void bankFormMatchesTheFormulaWithTheBankDetached() {
        int big = 40;
        int n = 6;
        int k = 12;
        Labels all = randomLabels(3, big, 4);
        HashNet net = HashNet.builder(k).pairing(HashNet.Pairing.BANK).trainingLabels(all).build();
        double beta = net.beta();
        // fill the bank with a first batch of every example
        int[] everyone = new int[big];
        for (int i = 0; i < big; i++) everyone[i] = i;
        double[] first = randn(11, big * k, 0.7);
        net.lossOnOutputs(Tensors.fromArray(backend(), toFloat(first), big, k), all, everyone);
        int[] idx = {3, 17, 5, 39, 0, 22};
        Labels y = all.subset(idx);
        double[] z = randn(12, n * k, 0.7);
        double[] bank = new double[big * k];
        for (int i = 0; i < big * k; i++) bank[i] = Math.tanh(beta * first[i]);
        for (int i = 0; i < n; i++) for (int p = 0; p < k; p++) bank[idx[i] * k + p] = Math.tanh(beta * z[i * k + p]);
        Tensor zt = leaf(z, n, k);
        Tensor loss = net.lossOnOutputs(zt, y, idx);
        double alpha = 10.0 / k;
        assertClose("HashNet bank value", oracle(z, y, bank, all, n, k, alpha, beta), loss.item(), 1e-5, 1e-5);
        float[] grad = gradientOf(loss, zt);
        double[] numeric = FiniteDifferences.gradient(x -> oracle(x, y, bank, all, n, k, alpha, beta), z.clone());
        assertClose("HashNet bank gradient", numeric, grad, 1e-6, 1e-3);
    }

    @Test
    void betaFollowsTheContinuationSchedule() {
        HashNet net = new HashNet(12);
        for (long t = 1; t < 200; t++) assertEquals(1f, net.betaAt(t), "β at step " + t);
        assertEquals(Math.sqrt(2), net.betaAt(200), 1e-6);
        assertEquals(Math.sqrt(2), net.betaAt(399), 1e-6);
        assertEquals(Math.sqrt(3), net.betaAt(400), 1e-6);
        assertEquals(Math.sqrt(51), net.betaAt(10_000), 1e-5);
        float previous = net.beta();
        for (int step = 1; step <= 1000; step++) {
            float beta = net.beta();
            assertEquals(net.betaAt(step), beta);
            assertTrue(beta >= previous, "β never decreases");
            previous = beta;
            net.afterStep();
        }
        assertEquals(1000, net.iteration());
    }

    @Test
    void tanhOfBetaZApproachesSign() {
        float[] z = {-2f, -0.5f, -0.05f, 0.03f, 0.4f, 1.5f, 3f};
        HashNet net = new HashNet(12);
        double previousGap = Double.MAX_VALUE;
        for (long t : new long[] {1, 200, 2000, 10_000, 100_000, 1_000_000}) {
            float beta = net.betaAt(t);
            Tensor scaled = Tensors.fromArray(backend(), z, z.length);
            backend().affine(scaled.storage(), scaled.storage(), beta, 0f, z.length);
            backend().unary(UnaryOp.TANH, scaled.storage(), scaled.storage(), z.length);
            float[] h = scaled.toArray();
            double gap = 0;
            for (int i = 0; i < z.length; i++) gap = Math.max(gap, Math.abs(h[i] - Math.signum(z[i])));
            assertTrue(gap < previousGap, "max |tanh(βz) − sgn(z)| shrinks as β grows (β = " + beta + ")");
            previousGap = gap;
        }
        assertTrue(previousGap < 0.05, "at β = " + net.betaAt(1_000_000) + " tanh(βz) is within 0.05 of sgn(z): " + previousGap);
    }

    @Test
    void badConfigurationFailsClearly() {
        assertThrows(IllegalArgumentException.class, () -> new HashNet(0));
        assertThrows(IllegalArgumentException.class, () -> HashNet.builder(12).alpha(-1).build());
        assertThrows(IllegalArgumentException.class, () -> HashNet.builder(12).gamma(-0.1).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HashNet.builder(12).pairing(HashNet.Pairing.BANK).build());
        assertTrue(e.getMessage().contains("trainingLabels"), e.getMessage());
        HashNet net = new HashNet(8);
        Tensor one = Tensors.zeros(backend(), 1, 8);
        assertThrows(IllegalArgumentException.class, () -> net.lossOnOutputs(one, Labels.single(new int[] {0}, 2), null));
        Tensor wrong = Tensors.zeros(backend(), 4, 12);
        e = assertThrows(IllegalArgumentException.class, () -> net.lossOnOutputs(wrong, randomLabels(1, 4, 2), null));
        assertTrue(e.getMessage().contains("[4, 12]"), e.getMessage());
    }
}
