/**
 * The training loop, the same for every method and backend ({@link org.deephash4j.train.Trainer}):
 * seeded shuffling, Adam, checks for NaN at every step, a checkpoint after every epoch and exact
 * resume; {@link org.deephash4j.train.TrainConfig} holds what decides a run.
 */
package org.deephash4j.train;
