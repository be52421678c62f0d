/**
 * Batch runs and evaluation over a {@link dev.glimpse.engine.VisionLanguageModel}: read a JSONL data set
 * ({@link dev.glimpse.pipeline.EvalDataset}), run it ({@link dev.glimpse.pipeline.EvalRunner}), and get the results
 * as records, a Tablesaw table and CSV ({@link dev.glimpse.pipeline.Evaluation}) with accuracy and latency
 * percentiles ({@link dev.glimpse.pipeline.EvalReport}). Depends on {@code engine}, Tablesaw and Jackson only.
 */
package dev.glimpse.pipeline;
