// Elementwise unary, binary, where and fill, each with a contiguous fast path and a strided path
// (views, broadcasts with stride 0) that needs no copy.

#ifdef FP64
inline T gelu_of(T x) {
    return x < (T) 0 ? (T) 0.5 * x * erfc(-x * (T) M_SQRT1_2) : (T) 0.5 * x * ((T) 1 + erf(x * (T) M_SQRT1_2));
}
inline T erf_of(T x) {
    return erf(x);
}
#else
// F32: erfc(z) = t exp(-z^2 + P(t)), t = 1/(1 + z/2), relative error below 1.2e-7 for z >= 0 (the
// same fit as the cpu backend). Device libraries' float erf/erfc are often slow scalar code; this
// is straight-line arithmetic the vectoriser handles. z^2 is split into an exactly representable
// part and its rounding error so the large-|x| tail keeps its relative precision.
inline float half_erfc_split(float z, float zz, float zzLo) {
    float t = 1.0f / (1.0f + 0.5f * z);
    float p = 0.17087277f;
    p = fma(p, t, -0.82215223f);
    p = fma(p, t, 1.48851587f);
    p = fma(p, t, -1.13520398f);
    p = fma(p, t, 0.27886807f);
    p = fma(p, t, -0.18628806f);
    p = fma(p, t, 0.09678418f);
    p = fma(p, t, 0.37409196f);
    p = fma(p, t, 1.00002368f);
    p = fma(p, t, -1.26551223f);
    return 0.5f * t * exp(-zz) * exp(p - zzLo);
}
inline float gelu_of(float x) {
    float xx = x * x;
    float lo = fma(x, x, -xx);
    float h = half_erfc_split(fabs(x) * (float) M_SQRT1_2, 0.5f * xx, 0.5f * lo);
    return x * (x < 0.0f ? h : 1.0f - h);
}
inline float erf_of(float x) {
    float xx = x * x;
    float e = 1.0f - 2.0f * half_erfc_split(fabs(x), xx, fma(x, x, -xx));
    return isnan(x) ? x : copysign(e, x);
}
#endif

inline T unary_op(int op, T x, T arg) {
    switch (op) {
        case U_IDENTITY: return x;
        case U_NEG: return -x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_LOG1P: return log1p(x);
        case U_SQRT: return sqrt(x);
        case U_ABS: return fabs(x);
        case U_SIGN: return x > (T) 0 ? (T) 1 : (x < (T) 0 ? (T) -1 : x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return x >= (T) 0 ? (T) 1 / ((T) 1 + exp(-x)) : exp(x) / ((T) 1 + exp(x));
        case U_RELU: return x > (T) 0 ? x : (isnan(x) ? x : (T) 0);
        case U_LEAKY_RELU: return x > (T) 0 ? x : x * arg;
        case U_GELU: return gelu_of(x);
        case U_ERF: return erf_of(x);
        case U_ADD_SCALAR: return x + arg;
        case U_MUL_SCALAR: return x * arg;
        case U_DIV_SCALAR: return x / arg;
        case U_POW_SCALAR: return arg == (T) 2 ? x * x : pow(x, arg);
        case U_MAX_SCALAR: return isnan(x) ? x : fmax(x, arg);
        case U_MIN_SCALAR: return isnan(x) ? x : fmin(x, arg);
        case U_GT_SCALAR: return x > arg ? (T) 1 : (T) 0;
        case U_GE_SCALAR: return x >= arg ? (T) 1 : (T) 0;
        case U_LT_SCALAR: return x < arg ? (T) 1 : (T) 0;
        case U_LE_SCALAR: return x <= arg ? (T) 1 : (T) 0;
        default: return NAN;
    }
}

inline T binary_op(int op, T a, T b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_MAX: return (isnan(a) || isnan(b)) ? a + b : fmax(a, b);
        case B_MIN: return (isnan(a) || isnan(b)) ? a + b : fmin(a, b);
        case B_POW: return pow(a, b);
        case B_GT: return a > b ? (T) 1 : (T) 0;
        case B_LT: return a < b ? (T) 1 : (T) 0;
        case B_EQ: return a == b ? (T) 1 : (T) 0;
        default: return NAN;
    }
}

// One kernel per op for contiguous data (instantiated by the host for every op of the Java enums,
// see Programs.source): with the op a compile-time constant the switch folds away, and PoCL's
// work-group vectoriser sees straight-line code.
#define UNARY_CONTIG(NAME) \
__kernel void unary_##NAME(T arg, __global const T* x, int xo, __global T* o, int oo, int n) { \
    int i = get_global_id(0); \
    if (i < n) o[oo + i] = unary_op(U_##NAME, x[xo + i], arg); \
}

#define BINARY_CONTIG(NAME) \
__kernel void binary_##NAME(__global const T* a, int ao, __global const T* b, int bo, __global T* o, int oo, \
                            int n) { \
    int i = get_global_id(0); \
    if (i < n) o[oo + i] = binary_op(B_##NAME, a[ao + i], b[bo + i]); \
}

__kernel void unary_strided(int op, T arg, __global const T* x, int xo, __global T* o, int oo, int n, int rank,
                            int8 shape8, int8 sx8, int8 so8) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(sx8, sx); UNPACK(so8, so);
    o[offset_of(i, rank, shape, so, oo)] = unary_op(op, x[offset_of(i, rank, shape, sx, xo)], arg);
}

__kernel void copy_long_strided(__global const long* x, int xo, __global long* o, int oo, int n, int rank,
                                int8 shape8, int8 sx8, int8 so8) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(sx8, sx); UNPACK(so8, so);
    o[offset_of(i, rank, shape, so, oo)] = x[offset_of(i, rank, shape, sx, xo)];
}

__kernel void binary_strided(int op, __global const T* a, int ao, __global const T* b, int bo, __global T* o, int oo,
                             int n, int rank, int8 shape8, int8 sa8, int8 sb8, int8 so8) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(sa8, sa); UNPACK(sb8, sb); UNPACK(so8, so);
    o[offset_of(i, rank, shape, so, oo)] =
        binary_op(op, a[offset_of(i, rank, shape, sa, ao)], b[offset_of(i, rank, shape, sb, bo)]);
}

__kernel void where_strided(__global const T* c, int co, __global const T* a, int ao, __global const T* b, int bo,
                            __global T* o, int oo, int n, int rank, int8 shape8, int8 sc8, int8 sa8, int8 sb8,
                            int8 so8) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(sc8, sc); UNPACK(sa8, sa); UNPACK(sb8, sb); UNPACK(so8, so);
    T cond = c[offset_of(i, rank, shape, sc, co)];
    o[offset_of(i, rank, shape, so, oo)] = cond != (T) 0 ? a[offset_of(i, rank, shape, sa, ao)]
                                                         : b[offset_of(i, rank, shape, sb, bo)];
}

// Selection between I64 operands (labels, indices), exact: a condition of the program's T or of I64.
#define WHERE_LONG(NAME, C)                                                                                \
__kernel void NAME(__global const C* c, int co, __global const long* a, int ao, __global const long* b,     \
                   int bo, __global long* o, int oo, int n, int rank, int8 shape8, int8 sc8, int8 sa8,      \
                   int8 sb8, int8 so8) {                                                                    \
    int i = get_global_id(0);                                                                               \
    if (i >= n) return;                                                                                     \
    UNPACK(shape8, shape); UNPACK(sc8, sc); UNPACK(sa8, sa); UNPACK(sb8, sb); UNPACK(so8, so);              \
    o[offset_of(i, rank, shape, so, oo)] = c[offset_of(i, rank, shape, sc, co)] != (C) 0                    \
        ? a[offset_of(i, rank, shape, sa, ao)] : b[offset_of(i, rank, shape, sb, bo)];                      \
}
WHERE_LONG(where_long_strided, T)
WHERE_LONG(where_long_cond_long_strided, long)

__kernel void fill_strided(T value, __global T* o, int oo, int n, int rank, int8 shape8, int8 so8) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(so8, so);
    o[offset_of(i, rank, shape, so, oo)] = value;
}

__kernel void fill_long_strided(long value, __global long* o, int oo, int n, int rank, int8 shape8, int8 so8) {
    int i = get_global_id(0);
    if (i >= n) return;
    UNPACK(shape8, shape); UNPACK(so8, so);
    o[offset_of(i, rank, shape, so, oo)] = value;
}

__kernel void axpy_contig(T alpha, __global const T* x, int xo, __global T* y, int yo, int n) {
    int i = get_global_id(0);
    if (i < n) {
        y[yo + i] += alpha * x[xo + i];
    }
}
