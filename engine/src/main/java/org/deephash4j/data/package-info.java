/**
 * Labelled images on the host and how they are split: {@link org.deephash4j.data.Dataset} (pixels as
 * bytes, labels), {@link org.deephash4j.data.Labels} (single or multi-hot; similar = sharing a label),
 * the readers (IDX for MNIST and Fashion-MNIST, CIFAR-10 batches, image folders, the toolkits' list
 * files), {@link org.deephash4j.data.DataSource} (a collection with its training and test pools,
 * recognised from a folder, or the embedded Fashion-MNIST subset), {@link org.deephash4j.data.Split}
 * (queries, training images, database) and {@link org.deephash4j.data.Normalization}.
 */
package org.deephash4j.data;
