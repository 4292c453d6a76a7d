/**
 * Retrieval figures of a model on a split ({@link org.deephash4j.eval.Evaluator}): mAP over the whole
 * database, mAP@k, precision and recall within Hamming radius 2, precision@k and the precision-recall
 * curves, computed with the engine's metrics (METHODS.md section 6).
 */
package org.deephash4j.eval;
