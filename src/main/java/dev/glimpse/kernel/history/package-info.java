/**
 * The kernel's own input history: every executed cell, persisted across sessions as JSON lines, queried the way
 * Jupyter's {@code history_request} (tail, range, search) asks.
 */
package dev.glimpse.kernel.history;
