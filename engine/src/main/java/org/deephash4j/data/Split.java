package org.deephash4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The three sets of a hashing evaluation, as indices into one {@link Dataset}: queries, training
 * images, and the database that queries are searched against (METHODS.md §6.7).
 *
 * <p>{@link #perClass} makes the standard split: {@code queriesPerClass} queries of every class
 * drawn from a query pool (Fashion-MNIST: the test set), {@code trainPerClass} training images of
 * every class drawn from a training pool (the training set), and every other image of the dataset
 * as database ("cifar10" style: 1,000 / 5,000 / 64,000 for Fashion-MNIST), or, with
 * {@code trainInDatabase}, every image but the queries ("cifar10-1" style). Draws use
 * {@code java.util.Random(seed)}, so a seed gives the same split on every machine. Each set is in
 * dataset order, which is also the order that breaks ties in Hamming distance.
 */
public record Split(int[] query, int[] train, int[] database, long seed) {

    public Split {
        query = query.clone();
        train = train.clone();
        database = database.clone();
    }

    /** The standard per-class split; see the class comment. */
    public static Split perClass(Dataset data, int[] queryPool, int[] trainPool, int queriesPerClass, int trainPerClass,
                                 long seed, boolean trainInDatabase) {
        if (queriesPerClass < 0 || trainPerClass <= 0) {
            throw new IllegalArgumentException("split: " + queriesPerClass + " queries and " + trainPerClass
                    + " training images per class; expected >= 0 and > 0");
        }
        Random random = new Random(seed);
        boolean[] taken = new boolean[data.size()];
        int[] query = draw(data, queryPool, queriesPerClass, random, taken, "query");
        int[] train = draw(data, trainPool, trainPerClass, random, taken, "training");
        boolean[] isQuery = new boolean[data.size()];
        for (int q : query) isQuery[q] = true;
        List<Integer> database = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            if (isQuery[i]) continue;
            if (taken[i] && !trainInDatabase) continue;
            database.add(i);
        }
        return new Split(query, train, database.stream().mapToInt(Integer::intValue).toArray(), seed);
    }

    /** 0, 1, ..., n - 1. */
    public static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) out[i] = from + i;
        return out;
    }

    // Shuffles the pool with the shared generator, then keeps the first `perClass` untaken images of each class.
    private static int[] draw(Dataset data, int[] pool, int perClass, Random random, boolean[] taken, String role) {
        int[] order = pool.clone();
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int classes = data.classes();
        int[] count = new int[classes];
        List<Integer> chosen = new ArrayList<>();
        for (int i : order) {
            if (taken[i]) continue;
            int c = data.classOf(i);
            if (c < 0) {
                throw new IllegalArgumentException("split: image " + i + " of " + data.name()
                        + " does not have exactly one label; per-class splits need single-label data (use list files)");
            }
            if (count[c] < perClass) {
                count[c]++;
                taken[i] = true;
                chosen.add(i);
            }
        }
        for (int c = 0; c < classes; c++) {
            if (count[c] < perClass) {
                throw new IllegalArgumentException("split: class " + data.classNames().get(c) + " has only " + count[c]
                        + " images available for the " + role + " set, " + perClass + " needed");
            }
        }
        int[] out = chosen.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(out);
        return out;
    }

    @Override
    public String toString() {
        return query.length + " queries, " + train.length + " training images, " + database.length + " database images (seed "
                + seed + ")";
    }
}
