package dev.glimpse.engine.hub;

import java.net.URI;

/**
 * What {@code HEAD /{repo}/resolve/{commit}/{file}} says about a file.
 *
 * @param file     the path in the repository
 * @param etag     the content hash ({@code X-Linked-Etag} for an LFS file, else {@code ETag}), quotes removed
 * @param size     bytes ({@code X-Linked-Size} for an LFS file, else {@code Content-Length})
 * @param location where the bytes are: the storage host's signed URL for an LFS file, else the resolve URL
 */
record FileMetadata(String file, String etag, long size, URI location) {
}
