package dev.jgrad;

import dev.jgrad.backend.Buffer;

/**
 * The memory behind a tensor and all its views, with the version counter they share: an in-place
 * write through any view bumps it, which is how backward detects a saved tensor that changed.
 *
 * <p>A storage created while a {@link MemoryScope} is open on its thread belongs to that scope,
 * which may {@link #release} it; a released storage refuses every access to its buffer.
 */
final class Storage {
    private Buffer buffer;
    final Device device;
    int version;
    /** The scope that releases this storage when it closes, or null. Confined to the creating thread. */
    MemoryScope scope;
    /** Who released it, for the error message; null while live. */
    private String releasedBy;

    Storage(Buffer buffer, Device device) {
        this.buffer = buffer;
        this.device = device;
        if (MemoryScope.anyOpen()) {
            MemoryScope.adopt(this);
        }
    }

    /** @return the buffer; throws if the storage was released */
    Buffer buffer() {
        Buffer b = buffer;
        if (b == null) {
            throw new IllegalStateException("this tensor's memory (" + device + ") was released by " + releasedBy
                    + "; keep a tensor you use after its scope closes with scope.keep(t), or copy it out before");
        }
        return b;
    }

    boolean isReleased() {
        return buffer == null;
    }

    /** Drops the buffer and hands it back to the backend (a device pool takes it at once). Idempotent. */
    void release(String by) {
        Buffer b = buffer;
        if (b != null) {
            buffer = null;
            releasedBy = by;
            device.backend().release(b);
        }
    }
}
