package org.deephash4j.hashing;

import static org.deephash4j.hashing.TestSupport.*;
import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.data.Labels;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

class DsdhTest {

    /** L = (1/(nN)) [2 Σ_ij ℓ(½ u_iᵀU_j, s_ij) + η Σ_i ‖u_i − b_i‖²] with the bank U and codes b held fixed. */
    static double oracle(double[] u, Labels y, double[] bank, Labels all, float[] b, int n, int k, double eta) {
        int bigN = all.size();
        double pair = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < bigN; j++) {
                double theta = 0.5 * dot(u, i, bank, j, k);
                double s = HashNetTest.sharedLabels(y, i, all, j) > 0 ? 1 : 0;
                pair += softplus(theta) - s * theta;
            }
        }
        double q = 0;
        for (int i = 0; i < n * k; i++) q += (u[i] - b[i]) * (u[i] - b[i]);
        return (2 * pair + eta * q) / ((double) n * bigN);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    @Test
    void perBatchLossMatchesTheFormula() {
        for (boolean multi : new boolean[] {false, true}) {
            int bigN = 30;
            int n = 7;
            int k = 12;
            Labels all = multi ? randomMultiHot(5, bigN, 4) : randomLabels(5, bigN, 4);
            double eta = 3;
            Dsdh dsdh = Dsdh.builder(k, all).eta(eta).schedule(Dsdh.Schedule.PER_BATCH).build();
            double[] first = randn(21, bigN * k, 1);
            dsdh.lossOnOutputs(Tensors.fromArray(backend(), toFloat(first), bigN, k), all, range(bigN));
            int[] idx = {4, 29, 0, 13, 8, 2, 17};
            Labels y = all.subset(idx);
            double[] u = randn(22, n * k, 1);
            double[] bank = first.clone();
            for (int i = 0; i < n; i++) System.arraycopy(u, i * k, bank, idx[i] * k, k);
            // the batch's codes: W and DCC from sgn(u) (DsdhSolvers is tested on its own)
            float[] b = new float[n * k];
            float[] uf = toFloat(u);
            for (int i = 0; i < b.length; i++) b[i] = uf[i] >= 0 ? 1f : -1f;
            float[] ym = y.toMatrix();
            double[] w = DsdhSolvers.solveW(b, ym, n, k, 4, 0.1);
            DsdhSolvers.updateB(b, uf, ym, w, n, k, 4, eta, 10);
            Tensor ut = leaf(u, n, k);
            Tensor loss = dsdh.lossOnOutputs(ut, y, idx);
            String what = "DSDH per-batch" + (multi ? " multi-hot" : "");
            assertClose(what + " value", oracle(u, y, bank, all, b, n, k, eta), loss.item(), 1e-6, 1e-5);
            float[] grad = gradientOf(loss, ut);
            double[] numeric = FiniteDifferences.gradient(x -> oracle(x, y, bank, all, b, n, k, eta), u.clone());
            assertClose(what + " gradient", numeric, grad, 1e-7, 1e-3);
        }
    }

    @Test
    void perEpochTrainsTheLikelihoodAloneUntilTheFirstBStepThenPullsTowardsTheKeptCodes() {
        int bigN = 24;
        int k = 8;
        Labels all = randomLabels(9, bigN, 3);
        Dsdh dsdh = Dsdh.builder(k, all).schedule(Dsdh.Schedule.PER_EPOCH).build();
        double[] first = randn(31, bigN * k, 1);
        float[] noCodes = new float[bigN * k];
        Tensor firstLoss = dsdh.lossOnOutputs(leaf(first, bigN, k), all, range(bigN));
        // epoch 0: B does not exist yet, so the η term is absent (the oracle with η = 0)
        assertClose("DSDH first epoch value", oracle(first, all, first, all, noCodes, bigN, k, 0), firstLoss.item(), 1e-6, 1e-5);

        // the first B step: B⁰ = sgn(U), W over all N, then DCC; the objective does not rise and B stays binary
        float[] bankNow = toFloat(first);
        float[] b0 = new float[bankNow.length];
        for (int i = 0; i < b0.length; i++) b0[i] = bankNow[i] >= 0 ? 1f : -1f;
        float[] yAll = all.toMatrix();
        double[] w0 = DsdhSolvers.solveW(b0, yAll, bigN, k, 3, 0.1);
        double before = DsdhSolvers.objective(b0, bankNow, yAll, w0, bigN, k, 3, Dsdh.DEFAULT_ETA);
        dsdh.beforeEpoch(1);
        float[] b = dsdh.trainingCodes();
        for (float v : b) assertTrue(v == 1f || v == -1f);
        assertTrue(DsdhSolvers.objective(b, bankNow, yAll, dsdh.w(), bigN, k, 3, Dsdh.DEFAULT_ETA) <= before + 1e-9);

        // later steps: the likelihood plus η ‖u − b‖² against the kept codes of the batch's rows
        assertLaterBatchMatchesOracle("DSDH per-epoch", dsdh, all, first, b, k);
    }

    /** A batch after the first B step (rows 3, 11, 20): value and gradient against the oracle at η = 110 and the codes b. */
    private static void assertLaterBatchMatchesOracle(String what, Dsdh dsdh, Labels all, double[] first, float[] b, int k) {
        int[] idx = {3, 11, 20};
        double[] u = randn(32, 3 * k, 1);
        double[] bank = first.clone();
        for (int i = 0; i < 3; i++) System.arraycopy(u, i * k, bank, idx[i] * k, k);
        float[] bb = new float[3 * k];
        for (int i = 0; i < 3; i++) System.arraycopy(b, idx[i] * k, bb, i * k, k);
        Labels y = all.subset(idx);
        Tensor ut = leaf(u, 3, k);
        Tensor loss = dsdh.lossOnOutputs(ut, y, idx);
        assertClose(what + " value", oracle(u, y, bank, all, bb, 3, k, Dsdh.DEFAULT_ETA), loss.item(), 1e-6, 1e-5);
        float[] grad = gradientOf(loss, ut);
        assertClose(what + " gradient", FiniteDifferences.gradient(x -> oracle(x, y, bank, all, bb, 3, k, Dsdh.DEFAULT_ETA), u.clone()),
                grad, 1e-7, 1e-3);
    }

    @Test
    void theBStepsEtaAndSweepsAreSetApartFromTheNetworkStep() {
        int bigN = 24;
        int k = 8;
        Labels all = randomLabels(9, bigN, 3);
        double[] first = randn(31, bigN * k, 0.3);
        Dsdh paper = Dsdh.create(k, all);
        Dsdh peer = Dsdh.builder(k, all).codeEta(0.5).dccSweeps(3).build();
        for (Dsdh d : new Dsdh[] {paper, peer}) {
            d.lossOnOutputs(leaf(first, bigN, k), all, range(bigN));
            d.beforeEpoch(1);
        }
        // the B step of peer: from B⁰ = sgn(U), W over all N, then at most 3 sweeps at η = 0.5
        float[] u = toFloat(first);
        float[] expected = new float[u.length];
        for (int i = 0; i < u.length; i++) expected[i] = u[i] >= 0 ? 1f : -1f;
        float[] yAll = all.toMatrix();
        double[] w = DsdhSolvers.solveW(expected, yAll, bigN, k, 3, 0.1);
        DsdhSolvers.updateB(expected, u, yAll, w, bigN, k, 3, 0.5, 3);
        assertArrayEquals(expected, peer.trainingCodes());
        assertTrue(!java.util.Arrays.equals(paper.trainingCodes(), peer.trainingCodes()),
                "at η = 0.5 the labels move codes that η = 110 keeps at sgn(U)");
        // the network step still pulls with η = 110, towards peer's codes
        assertLaterBatchMatchesOracle("DSDH network step beside a B step at another η", peer, all, first, expected, k);
    }

    @Test
    void trainingStateCarriesTheBankAndTheCodesToAFreshObject() {
        int bigN = 20;
        int k = 6;
        Labels all = randomLabels(4, bigN, 3);
        Dsdh trained = Dsdh.create(k, all);
        trained.lossOnOutputs(leaf(randn(5, bigN * k, 1), bigN, k), all, range(bigN));
        assertTrue(!trained.trainingState().containsKey("codes"), "no codes before the first B step");
        trained.beforeEpoch(1);
        java.util.Map<String, float[]> state = trained.trainingState();
        assertArrayEquals(trained.trainingCodes(), state.get("codes"));

        Dsdh fresh = Dsdh.create(k, all);
        fresh.head(backend(), 4, 1);
        fresh.restoreTrainingState(state);
        assertArrayEquals(state.get("bank"), fresh.trainingState().get("bank"));
        assertArrayEquals(trained.trainingCodes(), fresh.trainingCodes());
        // the next step of both sees the same bank and the same codes: the same loss, bit for bit
        int[] idx = {2, 7, 19};
        double[] u = randn(6, 3 * k, 1);
        assertEquals(trained.lossOnOutputs(leaf(u, 3, k), all.subset(idx), idx).item(),
                fresh.lossOnOutputs(leaf(u, 3, k), all.subset(idx), idx).item());

        Dsdh other = Dsdh.create(k, randomLabels(4, bigN + 1, 3));
        other.head(backend(), 4, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.restoreTrainingState(state));
        assertTrue(e.getMessage().contains("'bank' holds 120 values, expected [21, 6]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fresh.restoreTrainingState(java.util.Map.of()));
        assertTrue(e.getMessage().contains("no 'bank'"), e.getMessage());
    }

    @Test
    void badConfigurationFailsClearly() {
        Labels all = randomLabels(1, 10, 2);
        assertThrows(IllegalArgumentException.class, () -> Dsdh.create(0, all));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dsdh.create(12, null));
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dsdh.builder(12, all).eta(-1).build());
        assertThrows(IllegalArgumentException.class, () -> Dsdh.builder(12, all).nu(-1).build());
        Dsdh dsdh = Dsdh.create(8, all);
        Tensor two = Tensors.zeros(backend(), 2, 8);
        e = assertThrows(IllegalArgumentException.class, () -> dsdh.lossOnOutputs(two, all.subset(new int[] {0, 1}), null));
        assertTrue(e.getMessage().contains("indices"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> dsdh.lossOnOutputs(two, all.subset(new int[] {0, 1}), new int[] {0, 10}));
    }
}
