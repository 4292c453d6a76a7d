package org.deephash4j.hashing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deephash4j.autograd.Graph;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.backend.Backend;
import org.deephash4j.data.Labels;
import org.deephash4j.metrics.MeanAveragePrecision;
import org.deephash4j.nn.Linear;
import org.deephash4j.nn.Module;
import org.deephash4j.nn.Parameter;
import org.deephash4j.nn.ReLU;
import org.deephash4j.nn.Sequential;
import org.deephash4j.optim.Adam;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;

/**
 * A seeded synthetic clustered dataset, a small MLP backbone, a plain Adam training loop that
 * drives any {@link HashingMethod} through its interface, and Hamming-ranking mAP@all of the
 * resulting codes ({@code metrics.MeanAveragePrecision}: queries against the training set as database).
 */
final class TrainingHarness {
    static final int CLASSES = 10;
    static final int DIM = 32;
    static final int HIDDEN = 64;

    final float[] trainX;
    final Labels trainY;
    final float[] queryX;
    final Labels queryY;
    final int trainSize;
    final int querySize;

    /**
     * 10 class prototypes ~ N(0, 1)^32; each example = its prototype + N(0, noise²) noise, so the
     * classes overlap in raw space (random hyperplanes do poorly) but are linearly separable.
     */
    TrainingHarness(long seed, int trainSize, int querySize, double noise) {
        Random r = new Random(seed);
        double[][] protos = new double[CLASSES][DIM];
        for (double[] p : protos) for (int d = 0; d < DIM; d++) p[d] = r.nextGaussian();
        this.trainSize = trainSize;
        this.querySize = querySize;
        int[] ty = new int[trainSize];
        int[] qy = new int[querySize];
        trainX = draw(r, protos, ty, noise);
        queryX = draw(r, protos, qy, noise);
        trainY = Labels.single(ty, CLASSES);
        queryY = Labels.single(qy, CLASSES);
    }

    private static float[] draw(Random r, double[][] protos, int[] y, double noise) {
        float[] x = new float[y.length * DIM];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % CLASSES;
            for (int d = 0; d < DIM; d++) x[i * DIM + d] = (float) (protos[y[i]][d] + noise * r.nextGaussian());
        }
        return x;
    }

    static Module backbone(Backend backend, long seed) {
        return new Sequential(new Linear(backend, DIM, HIDDEN, seed), new ReLU());
    }

    /** Trains for {@code epochs} epochs of batches of {@code batch}; returns the mAP@all of the codes. */
    double trainAndEvaluate(HashingMethod method, int epochs, int batch, float lr, long seed) {
        Backend backend = TestSupport.backend();
        Module backbone = backbone(backend, seed);
        Module head = method.head(backend, HIDDEN, seed + 100);
        List<Parameter> params = new ArrayList<>(backbone.parameters());
        params.addAll(head.parameters());
        Adam adam = new Adam(params, lr);
        Random order = new Random(seed + 7);
        int[] perm = new int[trainSize];
        for (int i = 0; i < trainSize; i++) perm[i] = i;
        for (int epoch = 0; epoch < epochs; epoch++) {
            method.beforeEpoch(epoch);
            adam.setLearningRate(lr * method.learningRateScale());
            for (int i = trainSize - 1; i > 0; i--) {
                int j = order.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            for (int start = 0; start + batch <= trainSize; start += batch) {
                int[] idx = java.util.Arrays.copyOfRange(perm, start, start + batch);
                try (TensorScope step = TensorScope.open()) {
                    adam.zeroGrad();
                    Tensor x = Tensors.fromArray(backend, rows(trainX, idx), batch, DIM);
                    Tensor loss = method.loss(backbone.forward(x), trainY.subset(idx), idx);
                    float value = loss.item();
                    if (!Float.isFinite(value)) throw new AssertionError(method.name() + ": loss " + value);
                    Graph.backward(loss);
                    adam.step();
                    method.afterStep();
                }
            }
        }
        double map = evaluate(method, backbone, backend);
        adam.close();
        return map;
    }

    double evaluate(HashingMethod method, Module backbone, Backend backend) {
        BinaryCodes db;
        BinaryCodes q;
        try (NoGrad off = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
            db = method.codes(backbone.forward(Tensors.fromArray(backend, trainX, trainSize, DIM)));
            q = method.codes(backbone.forward(Tensors.fromArray(backend, queryX, querySize, DIM)));
        }
        return MeanAveragePrecision.compute(q, queryY, db, trainY);
    }

    private static float[] rows(float[] x, int[] idx) {
        float[] out = new float[idx.length * DIM];
        for (int i = 0; i < idx.length; i++) System.arraycopy(x, idx[i] * DIM, out, i * DIM, DIM);
        return out;
    }
}
