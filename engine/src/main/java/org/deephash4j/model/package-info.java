/**
 * A trained hashing model: {@link org.deephash4j.model.HashingModel} (a backbone, a method's head,
 * the input normalisation and the class names; encode images to binary codes; save and load a
 * safetensors checkpoint) and {@link org.deephash4j.model.ModelInfo} (what a checkpoint's metadata
 * says, parsed once).
 */
package org.deephash4j.model;
