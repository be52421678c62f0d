/**
 * The Jupyter wire protocol (version 5.3) on JeroMQ: connection files, message framing and HMAC signatures, and the
 * five sockets with one thread each. Blocking receives, no polling sleeps; nothing here knows what a cell is.
 */
package dev.glimpse.kernel.protocol;
