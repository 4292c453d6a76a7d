package org.deephash4j.data;

/**
 * A data set with its split into queries, training images and database, and the input
 * normalisation a model trains with: what training, evaluation and encoding start from.
 *
 * @param data          every image
 * @param split         indices of the queries, training images and database into {@code data}
 * @param normalization per-channel mean and standard deviation for the model's input
 * @param origin        where the data came from, for messages and reports
 */
public record SplitDataset(Dataset data, Split split, Normalization normalization, String origin) {
}
