package dev.jgrad.opencl;

/**
 * A snapshot of one device's memory as jgrad manages it.
 *
 * @param allocated bytes in buffers that tensors currently hold
 * @param cached    bytes in freed buffers kept for reuse
 * @param peak      the largest {@code allocated} seen
 * @param reserved  bytes of device memory the allocator holds from the driver: buffers in use,
 *                  cached buffers, and the not yet carved rest of the slabs small buffers share
 */
public record MemoryStats(long allocated, long cached, long peak, long reserved) {
}
