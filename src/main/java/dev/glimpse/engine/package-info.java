/** The model-agnostic inference API: prompts, options, answers, streaming and cancellation. JDK only. */
package dev.glimpse.engine;
