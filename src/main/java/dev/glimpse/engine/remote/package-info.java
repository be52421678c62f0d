/**
 * A {@link dev.glimpse.engine.VisionLanguageModel} behind an OpenAI-compatible chat completions endpoint
 * ({@code glimpse serve}, vLLM, SGLang, Zhipu): {@link dev.glimpse.engine.remote.OpenAiCompatibleModel}.
 * Depends on the engine API, the JDK's HTTP client and Jackson; never on a local engine.
 */
package dev.glimpse.engine.remote;
