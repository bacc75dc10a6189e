package dev.jgrad;

import dev.jgrad.backend.Buffer;

/**
 * The memory behind a tensor and all its views, with the version counter they share: an in-place
 * write through any view bumps it, which is how backward detects a saved tensor that changed.
 */
final class Storage {
    final Buffer buffer;
    final Device device;
    int version;

    Storage(Buffer buffer, Device device) {
        this.buffer = buffer;
        this.device = device;
    }
}
