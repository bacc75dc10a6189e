// Shared definitions. Built once per dtype with -DT=float or -DT=double (plus -DFP64 for double),
// and with -DU_<NAME>=<ordinal> / -DB_<NAME>=<ordinal> / -DR_<NAME>=<ordinal> macros generated
// from the Java enums, so op codes cannot drift out of sync with the host.
#ifdef FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define MAXR 8

// Element offset of linear index i (row-major over shape) in a view with the given strides.
inline int offset_of(int i, int rank, const int* shape, const int* stride, int base) {
    int off = base;
    for (int d = rank - 1; d >= 0; d--) {
        int s = shape[d];
        int q = i / s;
        off += (i - q * s) * stride[d];
        i = q;
    }
    return off;
}

#define UNPACK(v, arr) int arr[MAXR]; vstore8(v, 0, arr)
