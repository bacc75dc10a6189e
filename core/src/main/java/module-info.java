/**
 * jgrad-core: tensors with reverse-mode automatic differentiation, the backend SPI and the
 * {@code reference} and {@code cpu} backends.
 *
 * <p>Exported: the user API ({@code dev.jgrad}, {@code dev.jgrad.autograd}, {@code dev.jgrad.nn},
 * {@code dev.jgrad.optim}, {@code dev.jgrad.optim.lr}, {@code dev.jgrad.data}, {@code dev.jgrad.io})
 * and the SPI for backend authors ({@code dev.jgrad.backend}). Not exported: {@code dev.jgrad.internal}
 * (the bridge between jgrad's own packages) and the cpu backend's kernels; the reference backend is
 * open only to the OpenCL backend, which runs host-side work on it. On the class path the same jar
 * works unchanged (there the boundary is by convention only).
 */
module dev.jgrad {
    requires transitive jdk.incubator.vector;

    exports dev.jgrad;
    exports dev.jgrad.autograd;
    exports dev.jgrad.nn;
    exports dev.jgrad.optim;
    exports dev.jgrad.optim.lr;
    exports dev.jgrad.data;
    exports dev.jgrad.io;
    exports dev.jgrad.backend;
    exports dev.jgrad.backend.reference to dev.jgrad.opencl;

    uses dev.jgrad.backend.BackendProvider;

    provides dev.jgrad.backend.BackendProvider
            with dev.jgrad.backend.reference.ReferenceProvider, dev.jgrad.backend.cpu.CpuProvider;
}
