/**
 * The feature networks a hashing head sits on ({@link org.deephash4j.zoo.Backbone}): an image batch
 * [N, C, H, W] in, a feature batch [N, F] out, initialised from a seed.
 */
package org.deephash4j.zoo;
