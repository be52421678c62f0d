/**
 * {@code glimpse serve}: an OpenAI-compatible HTTP server ({@code /v1/chat/completions}, {@code /v1/models}) over
 * any {@link dev.glimpse.engine.VisionLanguageModel}, on the JDK's {@code com.sun.net.httpserver}. Start it with
 * {@link dev.glimpse.serve.ChatServer#start}. Depends on the engine API and Jackson only.
 */
package dev.glimpse.serve;
